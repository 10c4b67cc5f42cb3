/**
 * Sub-pixel co-registration: the residual shift between the after image (already mapped
 * onto the before grid) and the before image, measured by phase correlation of brightness
 * patches spread over the overlap and combined robustly.
 */
import { ChangewatchError } from "../errors.js";
import { phaseCorrelate } from "../core/phase-correlation.js";
import type { PixelWindow, RasterSource } from "../raster/types.js";
import type { PairGeometry } from "./grid.js";
import { readAligned } from "./read-aligned.js";
import type { Shift } from "./resample.js";

export interface EstimateShiftOptions {
  /**
   * Side of the square correlation patches in before pixels, a power of two. Reduced to the
   * largest power of two that fits when the overlap is smaller (down to 32).
   * @defaultValue 256
   */
  patchSizePx?: number;
  /**
   * Number of patches, laid out on a grid over the overlap.
   * @defaultValue 9
   */
  patches?: number;
  signal?: AbortSignal;
}

export interface ShiftEstimate {
  /** Shift in AFTER pixels: sampling after at mapped + (dx, dy) aligns it with before. */
  dx: number;
  dy: number;
  /** Share of the planned patches that gave a trustworthy measurement agreeing with the result, 0-1. */
  confidence: number;
  /** Patches whose measurements formed the result. */
  patchesUsed: number;
}

/** Correlation peaks below this are noise (an unrelated 256 px patch pair peaks near 0.01-0.02). */
const MIN_PEAK = 0.05;
/** A patch with more missing (NaN) pixels than this share is skipped. */
const MAX_NAN_SHARE = 0.2;
/** A patch whose brightness standard deviation is below this share of its mean (or 1e-6) is flat. */
const MIN_RELATIVE_STD = 0.005;
/** Measurements further than this from the median (after pixels) are outliers. */
const INLIER_RADIUS_PX = 0.5;
/** Re-correlating after applying the estimate removes most of the sub-pixel peak-fit bias. */
const MAX_ITERATIONS = 3;
const CONVERGED_PX = 0.01;
const MIN_PATCH_PX = 32;

/**
 * Estimates the residual misregistration of `after` relative to `before`. Each patch of
 * before brightness (band mean) is correlated with the after brightness resampled onto the
 * same before window; a measured before-pixel shift d becomes J·d in after pixels (J the
 * linear part of the mapping). Patches that are mostly NaN, flat, weakly peaked or shifted
 * by more than a quarter patch are skipped; the result is the mean of the measurements
 * within 0.5 px of their median, refined by re-correlating with the shift applied.
 * Returns shift 0 and confidence 0 when no patch is trustworthy.
 */
export async function estimateShift(
  before: RasterSource,
  after: RasterSource,
  geometry: PairGeometry,
  options: EstimateShiftOptions = {},
): Promise<ShiftEstimate> {
  const requested = options.patchSizePx ?? 256;
  const patches = options.patches ?? 9;
  if (!Number.isInteger(requested) || requested < 2 || (requested & (requested - 1)) !== 0) {
    throw new ChangewatchError(
      "E_ARGUMENT",
      `Expected power of two for patchSizePx but received ${String(requested)} of type ${typeof requested}`,
    );
  }
  if (!Number.isInteger(patches) || patches < 1) {
    throw new ChangewatchError(
      "E_ARGUMENT",
      `Expected positive integer for patches but received ${String(patches)} of type ${typeof patches}`,
    );
  }
  const none: ShiftEstimate = { dx: 0, dy: 0, confidence: 0, patchesUsed: 0 };
  const { overlap, mapping } = geometry;
  let size = requested;
  while (size > Math.min(overlap.width, overlap.height) && size > MIN_PATCH_PX) size /= 2;
  if (size > Math.min(overlap.width, overlap.height)) return none;

  const windows = patchWindows(overlap, size, patches);
  const beforePatches: Array<Float32Array | null> = [];
  for (const w of windows) {
    const px = await before.readWindow(w, { signal: options.signal });
    const b = brightness(px, before.info.bands, size * size);
    beforePatches.push(usable(b) ? b : null);
  }
  const scratch = new Float64Array(4 * size * size);
  const limit = size / 4;
  let shift: Shift = { dx: 0, dy: 0 };
  let result = none;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const measured: Array<[number, number]> = [];
    for (let k = 0; k < windows.length; k++) {
      const a = beforePatches[k];
      if (a === null) continue;
      const px = await readAligned(after, geometry, shift, windows[k], options.signal);
      const b = brightness(px, after.info.bands, size * size);
      if (!usable(b)) continue;
      const r = phaseCorrelate(a, b, size, scratch);
      if (r.peak < MIN_PEAK || Math.abs(r.dx) > limit || Math.abs(r.dy) > limit) continue;
      measured.push([mapping.a1 * r.dx + mapping.a2 * r.dy, mapping.b1 * r.dx + mapping.b2 * r.dy]);
    }
    if (measured.length === 0) break;
    const mx = median(measured.map((m) => m[0]));
    const my = median(measured.map((m) => m[1]));
    const inliers = measured.filter((m) => Math.hypot(m[0] - mx, m[1] - my) <= INLIER_RADIUS_PX);
    // Scattered measurements can leave no patch near the per-axis medians; their mean would be NaN.
    if (inliers.length === 0) break;
    const ux = inliers.reduce((s, m) => s + m[0], 0) / inliers.length;
    const uy = inliers.reduce((s, m) => s + m[1], 0) / inliers.length;
    shift = { dx: shift.dx + ux, dy: shift.dy + uy };
    result = {
      dx: shift.dx,
      dy: shift.dy,
      confidence: inliers.length / windows.length,
      patchesUsed: inliers.length,
    };
    if (Math.hypot(ux, uy) < CONVERGED_PX) break;
  }
  return result;
}

/**
 * Up to `count` size x size windows on a near-square grid spread evenly over `overlap`
 * (which is at least `size` on each side), row by row.
 */
function patchWindows(overlap: PixelWindow, size: number, count: number): PixelWindow[] {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const windows: PixelWindow[] = [];
  for (let r = 0; r < rows && windows.length < count; r++) {
    for (let c = 0; c < cols && windows.length < count; c++) {
      windows.push({
        x: overlap.x + Math.round(((overlap.width - size) * (c + 0.5)) / cols),
        y: overlap.y + Math.round(((overlap.height - size) * (r + 0.5)) / rows),
        width: size,
        height: size,
      });
    }
  }
  return windows;
}

/** Per-pixel mean of the bands (NaN when any band is NaN); length `pixels`. */
function brightness(px: Float32Array, bands: number, pixels: number): Float32Array {
  if (bands === 1) return px;
  const out = new Float32Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++) {
    let sum = 0;
    for (let b = 0; b < bands; b++) sum += px[p++];
    out[i] = sum / bands;
  }
  return out;
}

/** False when the patch is mostly missing or flat (no texture to correlate). */
function usable(patch: Float32Array): boolean {
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < patch.length; i++) {
    const v = patch[i];
    if (v === v) {
      n++;
      sum += v;
      sum2 += v * v;
    }
  }
  if (n < patch.length * (1 - MAX_NAN_SHARE)) return false;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  return std > Math.max(1e-6, MIN_RELATIVE_STD * Math.abs(mean));
}

function median(values: number[]): number {
  const s = [...values].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
