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
  // Weight 1 multiplies exactly, so one code path serves weighted and unweighted calls.
  // Three and four bands (RGB, RGBN) get loops with the band count and the weights fixed,
  // which V8 compiles to straight-line code; the sums run in the same order as the general
  // loop, so results are identical.
  const w0 = bandWeight === undefined ? 1 : bandWeight[0];
  if (bands === 3) {
    const w1 = bandWeight === undefined ? 1 : bandWeight[1];
    const w2 = bandWeight === undefined ? 1 : bandWeight[2];
    for (let i = 0, k = 0; i < pixelCount; i++, k += 3) {
      const d0 = (after[k] - before[k]) * w0;
      const d1 = (after[k + 1] - before[k + 1]) * w1;
      const d2 = (after[k + 2] - before[k + 2]) * w2;
      out[i] = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
    }
    return;
  }
  if (bands === 4) {
    const w1 = bandWeight === undefined ? 1 : bandWeight[1];
    const w2 = bandWeight === undefined ? 1 : bandWeight[2];
    const w3 = bandWeight === undefined ? 1 : bandWeight[3];
    for (let i = 0, k = 0; i < pixelCount; i++, k += 4) {
      const d0 = (after[k] - before[k]) * w0;
      const d1 = (after[k + 1] - before[k + 1]) * w1;
      const d2 = (after[k + 2] - before[k + 2]) * w2;
      const d3 = (after[k + 3] - before[k + 3]) * w3;
      out[i] = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3);
    }
    return;
  }
  for (let i = 0, k = 0; i < pixelCount; i++) {
    let sum = 0;
    for (let b = 0; b < bands; b++, k++) {
      const d = (after[k] - before[k]) * (bandWeight === undefined ? 1 : bandWeight[b]);
      sum += d * d;
    }
    out[i] = Math.sqrt(sum);
  }
}
