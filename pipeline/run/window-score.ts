/**
 * Scoring one window of a planned pair, shared by tiles and by training: read the before
 * window and the after image aligned onto it, normalise, compute the evidence, and score it
 * either with the hand-weighted combination or with a learned model.
 */
import { readAligned } from "../align/read-aligned.js";
import { applyNormalisation } from "../core/normalise.js";
import { combineScore, computeRawEvidence, type EvidenceWorkspace, smoothScore } from "../detect/evidence.js";
import { applyFeatureRanks } from "../learn/feature-ranks.js";
import { FeatureWorkspace } from "../learn/features.js";
import { predictForest } from "../learn/gbdt.js";
import type { ChangeModel } from "../learn/model-file.js";
import type { PixelWindow } from "../raster/types.js";
import type { PairPlan } from "./pair-plan.js";
import type { OpenPair } from "./plan-pair.js";

export async function readAlignedWindow(
  plan: PairPlan,
  pair: OpenPair,
  window: PixelWindow,
  signal?: AbortSignal,
): Promise<{ before: Float32Array; after: Float32Array }> {
  const before = await pair.before.readWindow(window, { signal });
  const after = await readAligned(pair.after, plan.geometry, plan.shift, window, signal);
  return { before, after };
}

/**
 * Normalises `after` in place and fills the evidence workspace for a window of width x
 * height, including the weighted-evidence score (ws.score).
 */
export function prepareWindow(
  plan: PairPlan,
  before: Float32Array,
  after: Float32Array,
  width: number,
  height: number,
  ws: EvidenceWorkspace,
): void {
  const { bands, stats } = plan;
  const n = width * height;
  applyNormalisation(
    after,
    n,
    bands,
    { gain: Float64Array.from(stats.gain), offset: Float64Array.from(stats.offset) },
    after,
  );
  computeRawEvidence(
    before,
    after,
    width,
    height,
    bands,
    plan.roles,
    Float32Array.from(stats.bandWeight),
    stats.levels,
    ws,
  );
  combineScore(width, height, stats.units, plan.profile.weights, plan.profile.smoothingRadiusPx, ws);
}

/**
 * The learned re-scorer's features of a prepared, evidence-scored window, each ranked
 * within the pair (see FeatureWorkspace.compute and feature-ranks.ts).
 */
export function windowFeatures(
  plan: PairPlan,
  before: Float32Array,
  after: Float32Array,
  width: number,
  height: number,
  ws: EvidenceWorkspace,
  features: FeatureWorkspace,
): Float32Array {
  const { stats } = plan;
  if (!stats.featureRanks) {
    throw new Error(
      "the pair was planned without a model, so it has no rank tables for the learned features",
    );
  }
  const x = features.compute(ws, before, after, plan.bands, stats.displayBands, width, height);
  applyFeatureRanks(x, width * height, stats.featureRanks);
  return x;
}

/**
 * Prepares a window and scores it: ws.score then holds the smoothed construction score
 * (the model's probability of change when `model` is given, else the weighted evidence in
 * noise units).
 */
export function scoreWindow(
  plan: PairPlan,
  before: Float32Array,
  after: Float32Array,
  width: number,
  height: number,
  ws: EvidenceWorkspace,
  model: ChangeModel | null,
): void {
  prepareWindow(plan, before, after, width, height, ws);
  if (!model) return;
  const n = width * height;
  const x = windowFeatures(plan, before, after, width, height, ws, new FeatureWorkspace(n));
  predictForest(model.forest, x, n, ws.rawScore);
  smoothScore(width, height, plan.profile.smoothingRadiusPx, ws);
}
