/**
 * The kernels' unrolled and reordered fast paths must give bit-for-bit what the plain
 * loops they replaced give: each is compared here with that plain loop on random data with
 * NaN, -0 and extreme values, for the band counts that take a fast path and one that does not.
 */
import { describe, expect, it } from "vitest";
import { changeVectorMagnitude } from "../../../pipeline/core/change-vector.js";
import { fft2d, fftStrided } from "../../../pipeline/core/fft.js";
import { sobelMagnitude } from "../../../pipeline/core/gradient.js";
import { brightness } from "../../../pipeline/core/indices.js";
import { dilate, erode } from "../../../pipeline/core/morphology.js";
import { applyNormalisation } from "../../../pipeline/core/normalise.js";

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
}

/** float32 samples: mostly 0-4000, with NaN, -0, +0 and large values mixed in. */
function samples(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    out[i] = u < 0.02 ? NaN : u < 0.04 ? -0 : u < 0.06 ? 0 : u < 0.07 ? 3e38 * (u - 0.065) : random() * 4000;
  }
  return out;
}

/** Equal as bit patterns (so NaN equals NaN and -0 differs from +0). */
function expectSameBits(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array): void {
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  expect(Buffer.compare(a, e)).toBe(0);
}

const PIXELS = 5000;

describe("fast paths equal the plain loops", () => {
  for (const bands of [1, 2, 3, 4, 5]) {
    it(`changeVectorMagnitude, ${bands} band(s), with and without weights`, () => {
      const before = samples(PIXELS * bands);
      const after = samples(PIXELS * bands);
      for (const weight of [undefined, Float32Array.from({ length: bands }, () => random() * 2)]) {
        const want = new Float32Array(PIXELS);
        for (let i = 0, k = 0; i < PIXELS; i++) {
          let sum = 0;
          for (let b = 0; b < bands; b++, k++) {
            const d = (after[k] - before[k]) * (weight === undefined ? 1 : weight[b]);
            sum += d * d;
          }
          want[i] = Math.sqrt(sum);
        }
        const got = new Float32Array(PIXELS);
        changeVectorMagnitude(before, after, PIXELS, bands, got, weight);
        expectSameBits(got, want);
      }
    });

    it(`applyNormalisation and brightness, ${bands} band(s)`, () => {
      const after = samples(PIXELS * bands);
      const gain = Float64Array.from({ length: bands }, () => 0.5 + random());
      const offset = Float64Array.from({ length: bands }, () => (random() - 0.5) * 100);
      const want = new Float32Array(PIXELS * bands);
      for (let k = 0; k < PIXELS * bands; k++) want[k] = gain[k % bands] * after[k] + offset[k % bands];
      const got = new Float32Array(PIXELS * bands);
      applyNormalisation(after, PIXELS, bands, { gain, offset }, got);
      expectSameBits(got, want);

      // All-negative-zero pixels must come out as +0, as the plain sum starting at 0 gives.
      after.fill(-0, 0, 4 * bands);
      const bright = new Float32Array(PIXELS);
      for (let i = 0; i < PIXELS; i++) {
        let sum = 0;
        for (let b = 0; b < bands; b++) sum += after[i * bands + b];
        bright[i] = sum / bands;
      }
      const gotBright = new Float32Array(PIXELS);
      brightness(after, PIXELS, bands, gotBright);
      expectSameBits(gotBright, bright);
    });
  }

  it("sobelMagnitude on images of 1 to 40 px with NaN", () => {
    for (const [width, height] of [
      [1, 1],
      [1, 5],
      [6, 1],
      [2, 2],
      [40, 23],
    ]) {
      const gray = samples(width * height);
      const want = new Float32Array(width * height);
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const at = (y: number, x: number) =>
            gray[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
          const gx =
            at(r - 1, c + 1) +
            2 * at(r, c + 1) +
            at(r + 1, c + 1) -
            (at(r - 1, c - 1) + 2 * at(r, c - 1) + at(r + 1, c - 1));
          const gy =
            at(r + 1, c - 1) +
            2 * at(r + 1, c) +
            at(r + 1, c + 1) -
            (at(r - 1, c - 1) + 2 * at(r - 1, c) + at(r - 1, c + 1));
          want[r * width + c] = Number.isNaN(at(r, c)) ? NaN : Math.sqrt(gx * gx + gy * gy) / 8;
        }
      }
      const got = new Float32Array(width * height);
      sobelMagnitude(gray, width, height, got);
      expectSameBits(got, want);
    }
  });

  it("erode and dilate for radii 0-3 on random masks", () => {
    for (const [width, height] of [
      [1, 1],
      [1, 17],
      [23, 1],
      [31, 19],
    ]) {
      for (const radius of [0, 1, 2, 3]) {
        const mask = Uint8Array.from({ length: width * height }, () =>
          random() < 0.6 ? (random() * 3) | 0 : 1,
        );
        for (const op of ["erode", "dilate"] as const) {
          // Plain definition: the window of every pixel, outside counting as foreground for
          // erosion and as background for dilation.
          const want = new Uint8Array(width * height);
          for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
              let any = false;
              let all = true;
              for (let dy = -radius; dy <= radius; dy++) {
                for (let dx = -radius; dx <= radius; dx++) {
                  const yy = y + dy;
                  const xx = x + dx;
                  if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
                  if (mask[yy * width + xx] !== 0) any = true;
                  else all = false;
                }
              }
              want[y * width + x] = (op === "erode" ? all : any) ? 1 : 0;
            }
          }
          const got = new Uint8Array(width * height);
          const scratch = new Uint8Array(width * height);
          (op === "erode" ? erode : dilate)(mask, width, height, radius, got, scratch);
          expect(Array.from(got)).toEqual(Array.from(want));
        }
      }
    }
  });

  it("fftStrided and fft2d equal the twiddle-per-butterfly-loop transform bit for bit", () => {
    // The transform as first written: twiddles computed inside the stage loop, column
    // passes in place with a stride.
    const plain = (
      re: Float64Array,
      im: Float64Array,
      n: number,
      offset: number,
      stride: number,
      inverse: boolean,
    ) => {
      for (let i = 1, j = 0; i < n; i++) {
        let bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
          const a = offset + i * stride;
          const b = offset + j * stride;
          [re[a], re[b]] = [re[b], re[a]];
          [im[a], im[b]] = [im[b], im[a]];
        }
      }
      const sign = inverse ? 1 : -1;
      for (let len = 2; len <= n; len <<= 1) {
        const half = len >> 1;
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
          re[offset + k * stride] /= n;
          im[offset + k * stride] /= n;
        }
      }
    };
    for (const [width, height] of [
      [1, 1],
      [2, 8],
      [16, 4],
      [64, 32],
    ]) {
      for (const inverse of [false, true]) {
        const re = Float64Array.from({ length: width * height }, () => random() * 10 - 5);
        const im = Float64Array.from({ length: width * height }, () => random() * 10 - 5);
        const wantRe = re.slice();
        const wantIm = im.slice();
        for (let r = 0; r < height; r++) plain(wantRe, wantIm, width, r * width, 1, inverse);
        for (let c = 0; c < width; c++) plain(wantRe, wantIm, height, c, width, inverse);
        fft2d(re, im, width, height, inverse);
        expectSameBits(re, wantRe);
        expectSameBits(im, wantIm);

        const sre = Float64Array.from({ length: 3 * height + 1 }, () => random());
        const sim = Float64Array.from({ length: 3 * height + 1 }, () => random());
        const pre = sre.slice();
        const pim = sim.slice();
        plain(pre, pim, height, 1, 3, inverse);
        fftStrided(sre, sim, height, 1, 3, inverse);
        expectSameBits(sre, pre);
        expectSameBits(sim, pim);
      }
    }
  });
});
