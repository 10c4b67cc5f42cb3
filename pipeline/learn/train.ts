/**
 * Training the re-scorer from pair samples: class-balanced gradient boosting, then the
 * probability thresholds (overall and per detection profile) that maximise F1 once each
 * sampled pixel is weighted back to the number of real pixels it stands for, judged on
 * pixels of groups the scoring forest did not train on.
 */
import { FEATURE_COUNT } from "./features.js";
import { type Forest, predictForest, trainForest, type TrainOptions } from "./gbdt.js";
import { makeModel, type ChangeModel } from "./model-file.js";
import type { PairSample } from "./training-set.js";

export interface TrainedOn {
  dataset: string;
  gsdM: number;
}

/** Pairs with one key are never split between training and testing (one source tile, one city). */
export function groupKey(s: PairSample & TrainedOn): string {
  return `${s.dataset}\u0000${s.group}`;
}

/**
 * Deals the samples' groups (sorted) round-robin to `folds` folds; returns the fold of each
 * sample and how many folds got a group.
 */
export function groupFolds(
  samples: readonly (PairSample & TrainedOn)[],
  folds: number,
): { foldOf: (s: PairSample & TrainedOn) => number; used: number } {
  const groups = [...new Set(samples.map(groupKey))].sort();
  const fold = new Map(groups.map((g, i) => [g, i % folds]));
  return { foldOf: (s) => fold.get(groupKey(s))!, used: Math.min(folds, groups.length) };
}

const rowCount = (samples: readonly PairSample[]) => samples.reduce((n, s) => n + s.y.length, 0);

export function trainModel(
  samples: readonly (PairSample & TrainedOn)[],
  options: TrainOptions = {},
): ChangeModel {
  const rows = rowCount(samples);
  const y = new Uint8Array(rows);
  const realWeight = new Float32Array(rows);
  let at = 0;
  for (const s of samples) {
    y.set(s.y, at);
    let pos = 0;
    for (let i = 0; i < s.y.length; i++) pos += s.y[i];
    const neg = s.y.length - pos;
    for (let i = 0; i < s.y.length; i++) {
      realWeight[at + i] = s.y[i] ? s.changedPx / Math.max(1, pos) : s.unchangedPx / Math.max(1, neg);
    }
    at += s.y.length;
  }
  const forest = fitForest(samples, options);
  let p = heldOutPredictions(samples, options);
  if (!p) {
    p = new Float32Array(rows);
    predictRows(forest, samples, p, () => true);
  }
  const threshold = bestF1Threshold(p, y, realWeight);
  const thresholds: Record<string, number> = {};
  for (const profile of new Set(samples.map((s) => s.profile))) {
    const use = new Float32Array(rows);
    let row = 0;
    for (const s of samples) {
      if (s.profile === profile) use.set(realWeight.subarray(row, row + s.y.length), row);
      row += s.y.length;
    }
    thresholds[profile] = bestF1Threshold(p, y, use);
  }
  const byDataset = new Map<string, ChangeModel["trainedOn"][number]>();
  for (const s of samples) {
    const entry = byDataset.get(s.dataset) ?? { dataset: s.dataset, gsdM: s.gsdM, pairs: [] };
    entry.pairs.push(s.name);
    byDataset.set(s.dataset, entry);
  }
  return makeModel(forest, threshold, thresholds, [...byDataset.values()]);
}

/** Boosted trees on the samples, the two classes balanced. */
function fitForest(samples: readonly PairSample[], options: TrainOptions): Forest {
  const rows = rowCount(samples);
  const x = new Float32Array(rows * FEATURE_COUNT);
  const y = new Uint8Array(rows);
  let at = 0;
  for (const s of samples) {
    x.set(s.x, at * FEATURE_COUNT);
    y.set(s.y, at);
    at += s.y.length;
  }
  let pos = 0;
  for (let i = 0; i < rows; i++) pos += y[i];
  const weight = new Float32Array(rows);
  for (let i = 0; i < rows; i++) weight[i] = y[i] ? 1 : pos / Math.max(1, rows - pos);
  return trainForest(x, y, FEATURE_COUNT, weight, options);
}

/** Writes the forest's probabilities for the samples `which` selects into their rows of `p`. */
function predictRows<S extends PairSample>(
  forest: Forest,
  samples: readonly S[],
  p: Float32Array,
  which: (s: S) => boolean,
): void {
  let at = 0;
  for (const s of samples) {
    if (which(s)) predictForest(forest, s.x, s.y.length, p.subarray(at, at + s.y.length));
    at += s.y.length;
  }
}

/** Groups are dealt to this many folds to score every training pixel with a forest that did not see it. */
const THRESHOLD_FOLDS = 5;

/**
 * Every sample's probability from a forest that never saw its group (a source tile, a
 * city): the groups are dealt to THRESHOLD_FOLDS folds and each fold is scored by a forest
 * trained on the others. A forest scoring its own training pixels is over-confident and the
 * threshold chosen on them came out too high: 0.71 for 0.5 m pixels where cross-validation
 * was best near 0.5-0.6 (LEVIR F1 0.385 at the training-pixel threshold, 0.405 at 0.6);
 * held-out pixels choose 0.61-0.65 (object recall 0.69 -> 0.92 at about the same F1).
 * Null with fewer than two groups.
 */
function heldOutPredictions(
  samples: readonly (PairSample & TrainedOn)[],
  options: TrainOptions,
): Float32Array | null {
  const { foldOf, used: folds } = groupFolds(samples, THRESHOLD_FOLDS);
  if (folds < 2) return null;
  const p = new Float32Array(rowCount(samples));
  for (let k = 0; k < folds; k++) {
    const forest = fitForest(
      samples.filter((s) => foldOf(s) !== k),
      options,
    );
    predictRows(forest, samples, p, (s) => foldOf(s) === k);
  }
  return p;
}

/** The threshold in 0.05..0.95 (steps of 0.01) with the highest weighted F1. */
export function bestF1Threshold(p: Float32Array, y: Uint8Array, weight: Float32Array): number {
  let best = 0.5;
  let bestF1 = -1;
  for (let k = 5; k <= 95; k++) {
    const t = k / 100;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < y.length; i++) {
      const predicted = p[i] >= t;
      if (predicted && y[i]) tp += weight[i];
      else if (predicted) fp += weight[i];
      else if (y[i]) fn += weight[i];
    }
    const f1 = (2 * tp) / Math.max(1e-12, 2 * tp + fp + fn);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = t;
    }
  }
  return best;
}
