/**
 * Pixel-window arithmetic shared by the raster sources and the aligner: validation,
 * clipping to an image, and copying a decoded block into a NaN-padded output.
 */
import { ChangewatchError } from "../errors.js";
import type { PixelWindow } from "./types.js";

/** Throws E_ARGUMENT unless x, y are integers and width, height positive integers. */
export function validateWindow(window: PixelWindow): void {
  for (const key of ["x", "y"] as const) {
    if (!Number.isInteger(window[key])) {
      throw new ChangewatchError(
        "E_ARGUMENT",
        `Expected integer for window.${key} but received ${String(window[key])} of type ${typeof window[key]}`,
      );
    }
  }
  for (const key of ["width", "height"] as const) {
    if (!Number.isInteger(window[key]) || window[key] <= 0) {
      throw new ChangewatchError(
        "E_ARGUMENT",
        `Expected positive integer for window.${key} but received ${String(window[key])} of type ${typeof window[key]}`,
      );
    }
  }
}

/** The part of `window` inside an image of the given size, or null when they do not meet. */
export function intersectWindow(window: PixelWindow, width: number, height: number): PixelWindow | null {
  const x0 = Math.max(window.x, 0);
  const y0 = Math.max(window.y, 0);
  const x1 = Math.min(window.x + window.width, width);
  const y1 = Math.min(window.y + window.height, height);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Numeric array types a decoder may hand back. */
export type NumericArray = ArrayLike<number>;

/**
 * Copies `block` (pixel-interleaved, the pixels of `inner`) into `out` (pixel-interleaved,
 * the pixels of `outer`, which contains `inner`), turning `nodata` values into NaN. Pixels
 * of `out` outside `inner` are left untouched (the caller fills them with NaN).
 */
export function copyBlockInto(
  block: NumericArray,
  inner: PixelWindow,
  out: Float32Array,
  outer: PixelWindow,
  bands: number,
  nodata: number | null,
): void {
  const rowLen = inner.width * bands;
  const useNodata = nodata !== null && !Number.isNaN(nodata);
  const nd = nodata ?? 0;
  for (let r = 0; r < inner.height; r++) {
    let src = r * rowLen;
    let dst = ((inner.y - outer.y + r) * outer.width + (inner.x - outer.x)) * bands;
    const end = src + rowLen;
    if (useNodata) {
      for (; src < end; src++, dst++) {
        const v = block[src];
        out[dst] = v === nd ? NaN : v;
      }
    } else {
      for (; src < end; src++, dst++) out[dst] = block[src];
    }
  }
}
