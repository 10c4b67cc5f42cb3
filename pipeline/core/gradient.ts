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
    // Interior columns need no edge replication: a branch-free loop with the same formula.
    for (let c = 1; c < width - 1; c++) {
      out[mid + c] = magnitude(
        gray[up + c - 1],
        gray[up + c],
        gray[up + c + 1],
        gray[mid + c - 1],
        gray[mid + c],
        gray[mid + c + 1],
        gray[down + c - 1],
        gray[down + c],
        gray[down + c + 1],
      );
    }
    // The first and last columns, with their edge pixel replicated.
    for (let c = 0; c < width; c += width > 1 ? width - 1 : 1) {
      const left = c > 0 ? c - 1 : 0;
      const right = c < width - 1 ? c + 1 : c;
      out[mid + c] = magnitude(
        gray[up + left],
        gray[up + c],
        gray[up + right],
        gray[mid + left],
        gray[mid + c],
        gray[mid + right],
        gray[down + left],
        gray[down + c],
        gray[down + right],
      );
    }
  }
}

/** The Sobel magnitude / 8 of one 3x3 neighbourhood, a..k row by row, `centre` in the middle. */
function magnitude(
  a: number,
  b: number,
  d: number,
  e: number,
  centre: number,
  f: number,
  g: number,
  h: number,
  k: number,
): number {
  const gx = d + 2 * f + k - (a + 2 * e + g);
  const gy = g + 2 * h + k - (a + 2 * b + d);
  // The centre has zero weight in both kernels, so its NaN must be passed on explicitly.
  return centre !== centre ? NaN : Math.sqrt(gx * gx + gy * gy) / 8;
}
