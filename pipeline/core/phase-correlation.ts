/**
 * Phase correlation (Kuglin & Hines 1975): the translation between two patches is the peak
 * of the inverse FFT of their normalised cross-power spectrum; it estimates the residual
 * misregistration between the two dates before differencing.
 */

import { fft2d } from "./fft.js";
import { checkLength, checkMinLength, checkPowerOfTwo } from "./validate.js";

export interface PhaseCorrelation {
  /** Shift of b relative to a along x (columns), in pixels, in [-size/2, size/2). */
  dx: number;
  /** Shift of b relative to a along y (rows, downwards), in pixels, in [-size/2, size/2). */
  dy: number;
  /** Height of the correlation peak in [0, 1]: 1 for a pure circular shift, near 0 for unrelated patches. */
  peak: number;
}

/**
 * Estimates (dx, dy) such that b(x, y) ≈ a(x - dx, y - dy), i.e. b shows a's content moved
 * right by dx and down by dy. `a` and `b` are float32 row-major size x size single-band
 * patches, size a power of two. Each patch has its mean subtracted and a 2D Hann window
 * applied (against edge leakage); NaN samples are first replaced by the patch's mean of finite
 * samples (an all-NaN patch gives dx = dy = 0, peak 0). The integer peak of
 * IFFT(B conj(A) / |B conj(A)|) is refined per axis by a parabola through it and its two
 * neighbours (bias under ~0.1 px for smooth imagery), then wrapped to [-size/2, size/2).
 * `scratch` is an optional Float64Array of length at least 4*size*size (allocated per call
 * when omitted).
 */
export function phaseCorrelate(
  a: Float32Array,
  b: Float32Array,
  size: number,
  scratch?: Float64Array,
): PhaseCorrelation {
  checkPowerOfTwo("size", size);
  const n = size * size;
  checkLength("a", a.length, n);
  checkLength("b", b.length, n);
  const work = scratch ?? new Float64Array(4 * n);
  checkMinLength("scratch", work.length, 4 * n);
  const ar = work.subarray(0, n);
  const ai = work.subarray(n, 2 * n);
  const br = work.subarray(2 * n, 3 * n);
  const bi = work.subarray(3 * n, 4 * n);
  if (!windowed(a, size, ar) || !windowed(b, size, br)) return { dx: 0, dy: 0, peak: 0 };
  ai.fill(0);
  bi.fill(0);
  fft2d(ar, ai, size, size);
  fft2d(br, bi, size, size);
  // Cross-power B * conj(A), normalised to unit magnitude, written over (br, bi).
  for (let i = 0; i < n; i++) {
    const re = br[i] * ar[i] + bi[i] * ai[i];
    const im = bi[i] * ar[i] - br[i] * ai[i];
    const magnitude = Math.hypot(re, im);
    // Frequencies with no energy in either patch carry no phase information.
    if (magnitude > 1e-300) {
      br[i] = re / magnitude;
      bi[i] = im / magnitude;
    } else {
      br[i] = 0;
      bi[i] = 0;
    }
  }
  fft2d(br, bi, size, size, true);
  let best = 0;
  for (let i = 1; i < n; i++) if (br[i] > br[best]) best = i;
  const py = Math.floor(best / size);
  const px = best - py * size;
  const mask = size - 1;
  const centre = br[best];
  const dx =
    px + parabolicOffset(br[py * size + ((px - 1) & mask)], centre, br[py * size + ((px + 1) & mask)]);
  const dy =
    py + parabolicOffset(br[((py - 1) & mask) * size + px], centre, br[((py + 1) & mask) * size + px]);
  return { dx: wrap(dx, size), dy: wrap(dy, size), peak: Math.min(1, Math.max(0, centre)) };
}

/**
 * dst = (src - mean) * hann(row) * hann(col), NaN replaced by the mean (so it becomes 0).
 * Uses the periodic Hann window 0.5 - 0.5 cos(2 pi k / size). Returns false when the patch
 * has no finite sample.
 */
function windowed(src: Float32Array, size: number, dst: Float64Array): boolean {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v - v === 0) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return false;
  const mean = sum / count;
  const step = (2 * Math.PI) / size;
  for (let r = 0; r < size; r++) {
    const wr = 0.5 - 0.5 * Math.cos(step * r);
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const v = src[i];
      dst[i] = v - v === 0 ? (v - mean) * wr * (0.5 - 0.5 * Math.cos(step * c)) : 0;
    }
  }
  return true;
}

/** Vertex offset in (-0.5, 0.5) of the parabola through (-1, left), (0, centre), (1, right). */
function parabolicOffset(left: number, centre: number, right: number): number {
  const curvature = left - 2 * centre + right;
  if (!(curvature < 0)) return 0;
  const offset = (0.5 * (left - right)) / curvature;
  return offset > 0.5 ? 0.5 : offset < -0.5 ? -0.5 : offset;
}

/** Folds a circular shift into [-size/2, size/2). */
function wrap(shift: number, size: number): number {
  const half = size / 2;
  return shift >= half ? shift - size : shift < -half ? shift + size : shift;
}
