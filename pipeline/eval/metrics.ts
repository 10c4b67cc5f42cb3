/**
 * Change-detection metrics against a labelled mask: pixel confusion counts (poolable across
 * pairs), precision/recall/F1/IoU, and object-level recall (a truth component counts as
 * found when any predicted pixel touches it).
 */
import { labelComponents } from "../core/components.js";

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface PixelScores {
  precision: number;
  recall: number;
  f1: number;
  iou: number;
}

export interface ObjectCounts {
  objects: number;
  found: number;
}

/** Confusion counts of two same-sized masks (non-zero = change). */
export function confusion(predicted: Uint8Array, truth: Uint8Array): Confusion {
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `Expected masks of equal length but received ${predicted.length} and ${truth.length}`,
    );
  }
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] !== 0;
    const t = truth[i] !== 0;
    if (p && t) c.tp++;
    else if (p) c.fp++;
    else if (t) c.fn++;
    else c.tn++;
  }
  return c;
}

export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn };
}

/**
 * Scores from counts. With no truth and no prediction the pair is perfect (all 1); a ratio
 * whose denominator is zero otherwise is 0.
 */
export function pixelScores(c: Confusion): PixelScores {
  if (c.tp + c.fp + c.fn === 0) return { precision: 1, recall: 1, f1: 1, iou: 1 };
  const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
  return {
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    iou: ratio(c.tp, c.tp + c.fp + c.fn),
  };
}

/** Truth objects (8-connected components) and how many of them any predicted pixel touches. */
export function objectCounts(
  predicted: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
): ObjectCounts {
  const mask = new Uint8Array(truth.length);
  for (let i = 0; i < truth.length; i++) mask[i] = truth[i] !== 0 ? 1 : 0;
  const labels = new Int32Array(truth.length);
  const objects = labelComponents(mask, width, height, labels, 8);
  const hit = new Uint8Array(objects + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && predicted[i] !== 0) hit[labels[i]] = 1;
  let found = 0;
  for (let k = 1; k <= objects; k++) found += hit[k];
  return { objects, found };
}
