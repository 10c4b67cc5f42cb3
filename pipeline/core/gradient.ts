/**
 * Image gradient strength: new buildings add straight, high-contrast edges, so a rise in
 * edge magnitude between dates is evidence of construction that survives illumination change.
 */

import { checkImage } from "./validate.js";

/**
 * Sobel gradient magnitude (Sobel & Feldman 1968): out = sqrt(gx^2 + gy^2) / 8 with
 * gx = [-1 0 1; -2 0 2; -1 0 1] and gy its transpose. Dividing by 8 makes the result the
 * slope in value units per pixel: a linear ramp of slope s gives exactly s, a unit step
 * gives 0.5 on the pixels either side of it. `gray` and `out` are float32 row-major, length
 * width*height. Borders replicate the edge pixel (so a flat image gives 0 everywhere). A
 * NaN anywhere in the 3x3 neighbourhood, centre included, gives NaN.
 */
export function sobelMagnitude(gray: Float32Array, width: number, height: number, out: Float32Array): void {
  checkImage("gray", gray, width, height);
  checkImage("out", out, width, height);
  for (let r = 0; r < height; r++) {
    const up = (r > 0 ? r - 1 : 0) * width;
    const mid = r * width;
    const down = (r < height - 1 ? r + 1 : r) * width;
    for (let c = 0; c < width; c++) {
      const left = c > 0 ? c - 1 : 0;
      const right = c < width - 1 ? c + 1 : c;
      const a = gray[up + left];
      const b = gray[up + c];
      const d = gray[up + right];
      const e = gray[mid + left];
      const f = gray[mid + right];
      const g = gray[down + left];
      const h = gray[down + c];
      const k = gray[down + right];
      const gx = d + 2 * f + k - (a + 2 * e + g);
      const gy = g + 2 * h + k - (a + 2 * b + d);
      const centre = gray[mid + c];
      // The centre has zero weight in both kernels, so its NaN must be passed on explicitly.
      out[mid + c] = centre !== centre ? NaN : Math.sqrt(gx * gx + gy * gy) / 8;
    }
  }
}
