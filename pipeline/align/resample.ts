/**
 * Resampling the after image onto the before grid: which after window a before window
 * needs, and bilinear interpolation through the pair's affine mapping plus the residual
 * co-registration shift.
 */
import type { PixelWindow } from "../raster/types.js";
import type { AffineMapping } from "./grid.js";

/** Residual misregistration in AFTER pixels: after is sampled at mapped + (dx, dy). */
export interface Shift {
  dx: number;
  dy: number;
}

/**
 * The after window holding every sample `resampleBilinear` needs for `beforeWindow`: the
 * bounding box of the mapped window corners, plus the shift, widened by `marginPx` on each
 * side (1 px is the bilinear footprint; the default 2 also absorbs rounding). It may extend
 * past the after image; those samples read as NaN.
 */
export function afterWindowFor(
  mapping: AffineMapping,
  beforeWindow: PixelWindow,
  shift: Shift,
  marginPx = 2,
): PixelWindow {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const x of [beforeWindow.x, beforeWindow.x + beforeWindow.width]) {
    for (const y of [beforeWindow.y, beforeWindow.y + beforeWindow.height]) {
      xs.push(mapping.a0 + mapping.a1 * x + mapping.a2 * y + shift.dx);
      ys.push(mapping.b0 + mapping.b1 * x + mapping.b2 * y + shift.dy);
    }
  }
  const x0 = Math.floor(Math.min(...xs)) - marginPx;
  const y0 = Math.floor(Math.min(...ys)) - marginPx;
  const x1 = Math.ceil(Math.max(...xs)) + marginPx;
  const y1 = Math.ceil(Math.max(...ys)) + marginPx;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Bilinear resampling of `src` (the after pixels of `srcWindow`) onto `dstWindow` of the
 * before grid, written to `out`. Both arrays are float32, pixel-interleaved, row-major:
 * length window.width * window.height * bands.
 *
 * For before pixel (x, y) the sample point is the pixel centre mapped into after pixels,
 * plus the shift: u = a0 + a1(x+.5) + a2(y+.5) + dx, v = b0 + b1(x+.5) + b2(y+.5) + dy.
 * After pixel centres sit at integer + 0.5, so the four neighbours are
 * floor(u - .5) and floor(u - .5) + 1 (likewise v), weighted by the fractional distances.
 * A neighbour with weight 0 is not read. The result is NaN when a contributing sample is
 * NaN or lies outside `srcWindow`.
 *
 * When the mapping plus shift is a translation by whole pixels the pixels are copied.
 */
export function resampleBilinear(
  src: Float32Array,
  srcWindow: PixelWindow,
  bands: number,
  mapping: AffineMapping,
  shift: Shift,
  dstWindow: PixelWindow,
  out: Float32Array,
): void {
  const { a0, a1, a2, b0, b1, b2 } = mapping;
  const sw = srcWindow.width;
  const sh = srcWindow.height;
  const dw = dstWindow.width;
  const dh = dstWindow.height;
  if (src.length < sw * sh * bands || out.length < dw * dh * bands) {
    throw new RangeError(
      `Expected src of length ${sw * sh * bands} and out of length ${dw * dh * bands} but received ${src.length} and ${out.length}`,
    );
  }
  // Offsets of the sample point in src-local coordinates where neighbour i sits at i + 0.5.
  const ox = a0 + shift.dx - srcWindow.x - 0.5;
  const oy = b0 + shift.dy - srcWindow.y - 0.5;
  const tx = ox + a1 * (dstWindow.x + 0.5) + a2 * (dstWindow.y + 0.5);
  const ty = oy + b1 * (dstWindow.x + 0.5) + b2 * (dstWindow.y + 0.5);
  if (a1 === 1 && a2 === 0 && b1 === 0 && b2 === 1 && Number.isInteger(tx) && Number.isInteger(ty)) {
    copyTranslated(src, sw, sh, bands, tx, ty, dw, dh, out);
    return;
  }
  for (let row = 0; row < dh; row++) {
    let o = row * dw * bands;
    for (let col = 0; col < dw; col++) {
      const fx = tx + a1 * col + a2 * row;
      const fy = ty + b1 * col + b2 * row;
      const i0 = Math.floor(fx);
      const j0 = Math.floor(fy);
      const wx = fx - i0;
      const wy = fy - j0;
      const i1 = wx > 0 ? i0 + 1 : i0;
      const j1 = wy > 0 ? j0 + 1 : j0;
      if (i0 < 0 || j0 < 0 || i1 >= sw || j1 >= sh) {
        for (let b = 0; b < bands; b++) out[o++] = NaN;
        continue;
      }
      const p00 = (j0 * sw + i0) * bands;
      const p01 = (j0 * sw + i1) * bands;
      const p10 = (j1 * sw + i0) * bands;
      const p11 = (j1 * sw + i1) * bands;
      for (let b = 0; b < bands; b++) {
        const top = src[p00 + b] + wx * (src[p01 + b] - src[p00 + b]);
        const bottom = src[p10 + b] + wx * (src[p11 + b] - src[p10 + b]);
        // NaN in any neighbour read propagates through the arithmetic.
        out[o++] = top + wy * (bottom - top);
      }
    }
  }
}

/** Plain copy for a whole-pixel translation: dst (col, row) = src (col + tx, row + ty). */
function copyTranslated(
  src: Float32Array,
  sw: number,
  sh: number,
  bands: number,
  tx: number,
  ty: number,
  dw: number,
  dh: number,
  out: Float32Array,
): void {
  for (let row = 0; row < dh; row++) {
    const sr = row + ty;
    let o = row * dw * bands;
    if (sr < 0 || sr >= sh) {
      out.fill(NaN, o, o + dw * bands);
      continue;
    }
    // Columns of this row that fall inside src: [c0, c1).
    const c0 = Math.min(dw, Math.max(0, -tx));
    const c1 = Math.max(c0, Math.min(dw, sw - tx));
    out.fill(NaN, o, o + c0 * bands);
    const s = (sr * sw + c0 + tx) * bands;
    out.set(src.subarray(s, s + (c1 - c0) * bands), o + c0 * bands);
    o += dw * bands;
    out.fill(NaN, o - (dw - c1) * bands, o);
  }
}
