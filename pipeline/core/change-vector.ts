/**
 * Change vector analysis: the Euclidean length of the per-pixel difference between two
 * co-registered, radiometrically normalised images is the basic "how much changed" signal.
 */

import { checkLength, checkPixels } from "./validate.js";

/**
 * out[i] = sqrt(sum_b (w_b * (after[i,b] - before[i,b]))^2) (Malila 1980, change vector
 * analysis). `before` and `after` are float32 pixel-interleaved, length pixelCount*bands
 * (index i*bands+b); `out` has length pixelCount; `bandWeight` (length bands) defaults to all
 * ones. A NaN in any band of either image gives NaN.
 */
export function changeVectorMagnitude(
  before: Float32Array,
  after: Float32Array,
  pixelCount: number,
  bands: number,
  out: Float32Array,
  bandWeight?: Float32Array,
): void {
  checkPixels("before", before, pixelCount, bands);
  checkPixels("after", after, pixelCount, bands);
  checkLength("out", out.length, pixelCount);
  if (bandWeight !== undefined) checkLength("bandWeight", bandWeight.length, bands);
  for (let i = 0, k = 0; i < pixelCount; i++) {
    let sum = 0;
    for (let b = 0; b < bands; b++, k++) {
      const d = (after[k] - before[k]) * (bandWeight === undefined ? 1 : bandWeight[b]);
      sum += d * d;
    }
    out[i] = Math.sqrt(sum);
  }
}
