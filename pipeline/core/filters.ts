/**
 * Smoothing filters for evidence rasters: local means suppress single-pixel noise and
 * misregistration speckle before thresholding.
 */

import { checkImage, checkNonNegativeInteger } from "./validate.js";

/**
 * Mean over the (2*radius+1)^2 window centred on each pixel, clipped to the image (a
 * corner pixel averages fewer samples; no padding is invented). Separable running sums make
 * it O(1) per pixel whatever the radius. NaN and ±Infinity samples are ignored (an infinity
 * would poison the running sums): the result is the mean of the window's finite samples, or
 * NaN when it holds none. `src`, `out` and `scratch` are float32 row-major, length
 * width*height; scratch holds the column sums and out the column counts between the passes,
 * so none of the three may alias. Allocates two Float64Array(width) per call for the
 * running column totals.
 */
export function boxMean(
  src: Float32Array,
  width: number,
  height: number,
  radius: number,
  out: Float32Array,
  scratch: Float32Array,
): void {
  checkImage("src", src, width, height);
  checkNonNegativeInteger("radius", radius);
  checkImage("out", out, width, height);
  checkImage("scratch", scratch, width, height);
  // A window wider than the image is the whole image: clipping keeps the loops bounded.
  const rv = Math.min(radius, height);
  const rh = Math.min(radius, width);
  const columnSum = new Float64Array(width);
  const columnCount = new Float64Array(width);
  // Vertical pass: running per-column totals over rows [r-radius, r+radius].
  for (let r = -rv; r < height; r++) {
    const enter = r + rv;
    if (enter < height) {
      for (let c = 0, i = enter * width; c < width; c++, i++) {
        const v = src[i];
        if (v - v === 0) {
          columnSum[c] += v;
          columnCount[c]++;
        }
      }
    }
    const leave = r - rv - 1;
    if (leave >= 0) {
      for (let c = 0, i = leave * width; c < width; c++, i++) {
        const v = src[i];
        if (v - v === 0) {
          columnSum[c] -= v;
          columnCount[c]--;
        }
      }
    }
    if (r >= 0) {
      for (let c = 0, i = r * width; c < width; c++, i++) {
        scratch[i] = columnSum[c];
        out[i] = columnCount[c];
      }
    }
  }
  // Horizontal pass: the row's counts are copied out first because out is overwritten in place.
  const rowCount = columnCount;
  for (let r = 0; r < height; r++) {
    const base = r * width;
    for (let c = 0; c < width; c++) rowCount[c] = out[base + c];
    let sum = 0;
    let count = 0;
    for (let c = 0; c < rh; c++) {
      sum += scratch[base + c];
      count += rowCount[c];
    }
    for (let c = 0; c < width; c++) {
      const enter = c + rh;
      if (enter < width) {
        sum += scratch[base + enter];
        count += rowCount[enter];
      }
      const leave = c - rh - 1;
      if (leave >= 0) {
        sum -= scratch[base + leave];
        count -= rowCount[leave];
      }
      out[base + c] = count > 0 ? sum / count : NaN;
    }
  }
}
