/**
 * Radix-2 complex fast Fourier transform, in place on split real/imaginary Float64Arrays,
 * for the power-of-two patches used by phase correlation.
 */

import { checkLength, checkPowerOfTwo } from "./validate.js";

/**
 * In-place iterative radix-2 Cooley-Tukey FFT of the n samples re/im[offset + k*stride],
 * k = 0..n-1; n must be a power of two (1 included). Forward: X[k] = sum_j x[j] e^(-2 pi i jk/n);
 * inverse uses e^(+2 pi i jk/n) and divides by n, so inverse(forward(x)) = x. The stride lets
 * a transform run along one column of a 2D array. NaN propagates into every output.
 */
export function fftStrided(
  re: Float64Array,
  im: Float64Array,
  n: number,
  offset: number,
  stride: number,
  inverse: boolean,
): void {
  checkPowerOfTwo("n", n);
  checkLength("im", im.length, re.length);
  if (n > 0 && offset + (n - 1) * stride >= re.length) {
    throw new RangeError(
      `Expected re of length at least ${offset + (n - 1) * stride + 1} but received ${re.length}`,
    );
  }
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = offset + i * stride;
      const b = offset + j * stride;
      const tr = re[a];
      re[a] = re[b];
      re[b] = tr;
      const ti = im[a];
      im[a] = im[b];
      im[b] = ti;
    }
  }
  const { cos, sin } = twiddles(n, inverse);
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    // This stage's twiddles sit at [half - 1, len - 1) of the tables. Butterflies of one
    // stage touch disjoint pairs, so running them block by block (rather than twiddle by
    // twiddle) changes only the memory order, never a result.
    const first = half - 1;
    const span = half * stride;
    for (let s = 0; s < n; s += len) {
      for (let k = 0, a = offset + s * stride; k < half; k++, a += stride) {
        const wr = cos[first + k];
        const wi = sin[first + k];
        const b = a + span;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  if (inverse) {
    for (let k = 0; k < n; k++) {
      const a = offset + k * stride;
      re[a] /= n;
      im[a] /= n;
    }
  }
}

/** Twiddle tables per transform length and direction, built on first use. */
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/**
 * cos and sin of (sign * 2 pi k) / len for every stage len = 2, 4, ..., n and k < len/2,
 * stage by stage (len/2 - 1 entries precede stage len). Each angle is computed directly,
 * not by repeated multiplication, which would accumulate rounding error over long
 * transforms; the expression is the one the butterflies always used, so cached and fresh
 * twiddles are the same doubles.
 */
function twiddles(n: number, inverse: boolean): { cos: Float64Array; sin: Float64Array } {
  const key = inverse ? -n : n;
  let table = twiddleCache.get(key);
  if (table === undefined) {
    const sign = inverse ? 1 : -1;
    const cos = new Float64Array(Math.max(1, n - 1));
    const sin = new Float64Array(Math.max(1, n - 1));
    for (let len = 2; len <= n; len <<= 1) {
      for (let k = 0; k < len >> 1; k++) {
        const angle = (sign * 2 * Math.PI * k) / len;
        cos[(len >> 1) - 1 + k] = Math.cos(angle);
        sin[(len >> 1) - 1 + k] = Math.sin(angle);
      }
    }
    table = { cos, sin };
    twiddleCache.set(key, table);
  }
  return table;
}

/** fftStrided over a whole contiguous array: re and im have the same power-of-two length. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  fftStrided(re, im, re.length, 0, 1, inverse);
}

/**
 * In-place 2D FFT of a row-major width x height complex image (index row*width + col), both
 * dimensions powers of two: every row, then every column. Scaling as fft (the inverse
 * divides by width*height). NaN spreads to the whole output.
 */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  inverse = false,
): void {
  checkPowerOfTwo("width", width);
  checkPowerOfTwo("height", height);
  checkLength("re", re.length, width * height);
  checkLength("im", im.length, width * height);
  for (let r = 0; r < height; r++) fftStrided(re, im, width, r * width, 1, inverse);
  // Columns are copied out, transformed contiguously and copied back: the same arithmetic,
  // without a cache miss per butterfly on tall images.
  const colRe = new Float64Array(height);
  const colIm = new Float64Array(height);
  for (let c = 0; c < width; c++) {
    for (let r = 0, i = c; r < height; r++, i += width) {
      colRe[r] = re[i];
      colIm[r] = im[i];
    }
    fftStrided(colRe, colIm, height, 0, 1, inverse);
    for (let r = 0, i = c; r < height; r++, i += width) {
      re[i] = colRe[r];
      im[i] = colIm[r];
    }
  }
}
