/**
 * Radix-2 complex fast Fourier transform, in place on split real/imaginary Float64Arrays,
 * for the power-of-two patches used by phase correlation.
 */

import { checkLength, checkPowerOfTwo } from "./validate.js";

/**
 * In-place iterative radix-2 Cooley-Tukey FFT of the n samples re/im[offset + k*stride],
 * k = 0..n-1; n must be a power of two (1 included). Forward: X[k] = sum_j x[j] e^(-2 pi i jk/n);
 * inverse uses e^(+2 pi i jk/n) and divides by n, so inverse(forward(x)) = x. The stride lets
 * a 2D transform run along columns without copying. NaN propagates into every output.
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
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    // Twiddles computed directly per k (n-1 sin/cos pairs in total) rather than by repeated
    // multiplication, which would accumulate rounding error over long transforms.
    for (let k = 0; k < half; k++) {
      const angle = (sign * 2 * Math.PI * k) / len;
      const wr = Math.cos(angle);
      const wi = Math.sin(angle);
      for (let s = k; s < n; s += len) {
        const a = offset + s * stride;
        const b = a + half * stride;
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
  for (let c = 0; c < width; c++) fftStrided(re, im, height, c, width, inverse);
}
