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
 * applied (against edge leakage); NaN and ±Infinity samples are replaced by the patch's mean
 * of finite samples (an all-NaN patch gives dx = dy = 0, peak 0). The maximum of the
 * Gaussian-tapered surface IFFT(B conj(A) / |B conj(A)|) is refined per axis by a parabola
 * through the logarithms of it and its two neighbours, then wrapped to [-size/2, size/2).
 * A second pass moves b's window by the first estimate, because identical windows bias the
 * result towards zero. Accuracy on textured patches is a few hundredths of a pixel; the
 * result is only meaningful for |shift| well below size/2. `peak` is the surface's height at
 * the integer maximum: 1 for identical patches, lower as content differs or the shift is
 * fractional. `scratch` is an optional Float64Array of length at least 4*size*size
 * (allocated per call when omitted).
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
  if (!windowed(a, size, 0, 0, ar) || !windowed(b, size, 0, 0, br)) return { dx: 0, dy: 0, peak: 0 };
  ai.fill(0);
  fft2d(ar, ai, size, size);
  const coarse = refine(br, correlate(ar, ai, br, bi, size), size);
  // The windows themselves correlate at zero shift and pull the estimate towards 0. Moving
  // b's window along with the content by the first estimate makes both windows frame the
  // same scene, which removes most of that bias; A's spectrum is reused.
  windowed(b, size, coarse.dx, coarse.dy, br);
  return refine(br, correlate(ar, ai, br, bi, size), size);
}

/** Sub-pixel peak position around the integer maximum at index best of the surface, wrapped. */
function refine(surface: Float64Array, best: number, size: number): PhaseCorrelation {
  const mask = size - 1;
  const py = Math.floor(best / size);
  const px = best - py * size;
  const centre = surface[best];
  const left = surface[py * size + ((px - 1) & mask)];
  const right = surface[py * size + ((px + 1) & mask)];
  const up = surface[((py - 1) & mask) * size + px];
  const down = surface[((py + 1) & mask) * size + px];
  return {
    dx: wrap(px + peakOffset(left, centre, right), size),
    dy: wrap(py + peakOffset(up, centre, down), size),
    peak: Math.min(1, Math.max(0, centre)),
  };
}

/**
 * Replaces (br, bi), holding windowed b in br, by the correlation surface
 * IFFT(T * B conj(A) / |B conj(A)|) / mean(T) and returns the index of its maximum. T is a
 * Gaussian taper of frequency-index sigma size/(2 pi): it turns the correlation delta into a
 * Gaussian of sigma 1 px, which a log-parabola locates without the bias a parabola has on a
 * sharp peak, and it damps the high frequencies where the window and noise dominate.
 * Dividing by mean(T) keeps a pure circular shift's peak at 1.
 */
function correlate(
  ar: Float64Array,
  ai: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  size: number,
): number {
  bi.fill(0);
  fft2d(br, bi, size, size);
  const { taper, sum: taperSum } = gaussianTaper(size);
  for (let i = 0; i < size * size; i++) {
    const re = br[i] * ar[i] + bi[i] * ai[i];
    const im = bi[i] * ar[i] - br[i] * ai[i];
    const magnitude = Math.hypot(re, im);
    // Frequencies with no energy in either patch carry no phase information.
    const scale = magnitude > 1e-300 ? taper[i] / magnitude : 0;
    br[i] = re * scale;
    bi[i] = im * scale;
  }
  fft2d(br, bi, size, size, true);
  const norm = (size * size) / taperSum;
  let best = 0;
  for (let i = 0; i < br.length; i++) {
    br[i] *= norm;
    if (br[i] > br[best]) best = i;
  }
  return best;
}

/** Gaussian tapers per patch size, built on first use: every patch of a run reuses one. */
const taperCache = new Map<number, { taper: Float64Array; sum: number }>();

/**
 * T[r*size + c] = exp((kx^2 + ky^2) * -1 / (2 sigma^2)) with sigma = size / (2 pi) and kx, ky
 * the signed frequency indices of column c and row r, and the sum of T accumulated in
 * row-major order (so correlate's normalisation is the same double on every call).
 */
function gaussianTaper(size: number): { taper: Float64Array; sum: number } {
  let cached = taperCache.get(size);
  if (cached === undefined) {
    const sigma = size / (2 * Math.PI);
    const falloff = -1 / (2 * sigma * sigma);
    const half = size / 2;
    const taper = new Float64Array(size * size);
    let sum = 0;
    for (let r = 0; r < size; r++) {
      const ky = r < half ? r : r - size;
      for (let c = 0; c < size; c++) {
        const kx = c < half ? c : c - size;
        const t = Math.exp((kx * kx + ky * ky) * falloff);
        sum += t;
        taper[r * size + c] = t;
      }
    }
    cached = { taper, sum };
    taperCache.set(size, cached);
  }
  return cached;
}

/**
 * dst = (src - mean) * hann(row - shiftY) * hann(col - shiftX), NaN replaced by the mean (so
 * it becomes 0). Periodic Hann window 0.5 - 0.5 cos(2 pi k / size) on [0, size), zero
 * outside, so a shifted window is cut at the patch edge. Returns false when the patch has no
 * finite sample.
 */
function windowed(
  src: Float32Array,
  size: number,
  shiftX: number,
  shiftY: number,
  dst: Float64Array,
): boolean {
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
  // The column weights are the same on every row: one cos per column, not per pixel.
  const wc = new Float64Array(size);
  for (let c = 0; c < size; c++) wc[c] = hann(c - shiftX, size);
  for (let r = 0; r < size; r++) {
    const wr = hann(r - shiftY, size);
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      const v = src[i];
      dst[i] = v - v === 0 ? (v - mean) * wr * wc[c] : 0;
    }
  }
  return true;
}

function hann(k: number, size: number): number {
  return k < 0 || k >= size ? 0 : 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / size);
}

/**
 * Sub-pixel offset in [-0.5, 0.5] of a peak sampled at -1, 0, 1: the vertex of the parabola
 * through the logarithms (exact for a Gaussian peak), or through the values themselves when
 * a neighbour is not positive.
 */
function peakOffset(left: number, centre: number, right: number): number {
  if (left > 0 && right > 0 && centre > 0) {
    const l = Math.log(left);
    const c = Math.log(centre);
    const r = Math.log(right);
    return vertex(l, c, r);
  }
  return vertex(left, centre, right);
}

/** Vertex of the parabola through (-1, left), (0, centre), (1, right), clamped to [-0.5, 0.5]. */
function vertex(left: number, centre: number, right: number): number {
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
