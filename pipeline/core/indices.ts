/**
 * Per-pixel spectral indices that turn a multi-band image into one band: overall
 * brightness, a normalised band difference (NDVI, NDBI, ...) and an RGB vegetation proxy.
 */

import { checkBandIndex, checkLength, checkPixels } from "./validate.js";

/**
 * out[i] = mean over bands of img[i*bands+b]. `img` is float32 pixel-interleaved, length
 * pixelCount*bands; `out` has length pixelCount. A NaN in any band gives NaN.
 */
export function brightness(img: Float32Array, pixelCount: number, bands: number, out: Float32Array): void {
  checkPixels("img", img, pixelCount, bands);
  checkLength("out", out.length, pixelCount);
  // Fixed band counts unrolled. The sum keeps the general loop's order and its leading 0
  // (which turns an all -0 pixel into +0), so results match bit for bit.
  if (bands === 3) {
    for (let i = 0, k = 0; i < pixelCount; i++, k += 3) out[i] = (0 + img[k] + img[k + 1] + img[k + 2]) / 3;
    return;
  }
  if (bands === 4) {
    for (let i = 0, k = 0; i < pixelCount; i++, k += 4) {
      out[i] = (0 + img[k] + img[k + 1] + img[k + 2] + img[k + 3]) / 4;
    }
    return;
  }
  for (let i = 0, k = 0; i < pixelCount; i++) {
    let sum = 0;
    for (let b = 0; b < bands; b++, k++) sum += img[k];
    out[i] = sum / bands;
  }
}

/**
 * out[i] = (a - b) / (a + b) with a = img[i*bands+bandA], b = img[i*bands+bandB]; e.g. NDVI
 * with bandA = NIR, bandB = red (Rouse et al. 1974). The result is 0 where a + b == 0 rather
 * than ±Infinity. `img` is float32 pixel-interleaved, length pixelCount*bands; `out` has
 * length pixelCount. NaN in either band gives NaN.
 */
export function normalisedDifference(
  img: Float32Array,
  pixelCount: number,
  bands: number,
  bandA: number,
  bandB: number,
  out: Float32Array,
): void {
  checkPixels("img", img, pixelCount, bands);
  checkBandIndex("bandA", bandA, bands);
  checkBandIndex("bandB", bandB, bands);
  checkLength("out", out.length, pixelCount);
  for (let i = 0, k = 0; i < pixelCount; i++, k += bands) {
    const a = img[k + bandA];
    const b = img[k + bandB];
    const sum = a + b;
    out[i] = sum === 0 ? 0 : (a - b) / sum;
  }
}

/**
 * Chromatic excess green, out[i] = (2g - r - b) / (r + g + b) (Woebbecke et al. 1995): a
 * vegetation proxy for RGB-only imagery, positive over vegetation and near zero or negative
 * over bare soil, concrete and roofs. The result is 0 where r + g + b == 0. `img` is float32
 * pixel-interleaved, length pixelCount*bands; `out` has length pixelCount. NaN in any of the
 * three bands gives NaN.
 */
export function excessGreen(
  img: Float32Array,
  pixelCount: number,
  bands: number,
  red: number,
  green: number,
  blue: number,
  out: Float32Array,
): void {
  checkPixels("img", img, pixelCount, bands);
  checkBandIndex("red", red, bands);
  checkBandIndex("green", green, bands);
  checkBandIndex("blue", blue, bands);
  checkLength("out", out.length, pixelCount);
  for (let i = 0, k = 0; i < pixelCount; i++, k += bands) {
    const r = img[k + red];
    const g = img[k + green];
    const b = img[k + blue];
    const sum = r + g + b;
    out[i] = sum === 0 ? 0 : (2 * g - r - b) / sum;
  }
}
