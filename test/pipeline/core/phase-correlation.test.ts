import { describe, it, expect } from "vitest";
import { phaseCorrelate } from "../../../pipeline/core/phase-correlation.js";

/** Deterministic values in [0, 1) (Numerical Recipes LCG). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A smooth, non-periodic texture of 300 Gaussian blobs (sigma 1-2.5 px) over a larger area,
 * evaluated analytically so that a sub-pixel shift is sampled exactly, not interpolated.
 */
function texture(seed: number): (x: number, y: number) => number {
  const random = lcg(seed);
  const blobs: number[] = [];
  for (let k = 0; k < 300; k++)
    blobs.push(random() * 100 - 18, random() * 100 - 18, 1 + random() * 1.5, random() * 2 - 1);
  return (x, y) => {
    let v = 0;
    for (let k = 0; k < blobs.length; k += 4) {
      const dx = x - blobs[k];
      const dy = y - blobs[k + 1];
      v += blobs[k + 3] * Math.exp(-(dx * dx + dy * dy) / (2 * blobs[k + 2] * blobs[k + 2]));
    }
    return v;
  };
}

/** Samples f(x - shiftX, y - shiftY): the texture moved right by shiftX and down by shiftY. */
function patch(
  f: (x: number, y: number) => number,
  size: number,
  shiftX: number,
  shiftY: number,
): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = f(x - shiftX, y - shiftY);
  return out;
}

describe("phaseCorrelate", () => {
  const f = texture(7);
  const a = patch(f, 64, 0, 0);

  it("returns zero shift and peak 1 for identical patches", () => {
    expect(phaseCorrelate(a, a, 64)).toEqual({ dx: 0, dy: 0, peak: expect.closeTo(1, 9) as number });
  });

  it("recovers an integer shift, with b moved right/down giving positive dx/dy", () => {
    const result = phaseCorrelate(a, patch(f, 64, 5, -3), 64);
    expect(Math.round(result.dx)).toBe(5);
    expect(Math.round(result.dy)).toBe(-3);
    expect(Math.abs(result.dx - 5)).toBeLessThan(0.01);
    expect(Math.abs(result.dy + 3)).toBeLessThan(0.01);
    expect(result.peak).toBeGreaterThan(0.5);
  });

  it("recovers sub-pixel shifts within 0.1 px", () => {
    for (const [sx, sy] of [
      [2.3, -1.7],
      [0.5, 0.25],
      [-4.6, 3.1],
      [1.1, 7.9],
    ]) {
      const { dx, dy } = phaseCorrelate(a, patch(f, 64, sx, sy), 64);
      expect(Math.abs(dx - sx)).toBeLessThan(0.1);
      expect(Math.abs(dy - sy)).toBeLessThan(0.1);
    }
  });

  it("fills NaN with the patch mean and still finds the shift", () => {
    const b = patch(f, 64, -2, 1);
    for (let i = 0; i < 64; i++) b[i * 64 + 10] = NaN;
    const { dx, dy } = phaseCorrelate(a, b, 64, new Float64Array(4 * 64 * 64));
    expect(Math.abs(dx + 2)).toBeLessThan(0.1);
    expect(Math.abs(dy - 1)).toBeLessThan(0.1);
  });

  it("gives peak 0 for an all-NaN patch or a constant one", () => {
    expect(phaseCorrelate(new Float32Array(16).fill(NaN), new Float32Array(16), 4)).toEqual({
      dx: 0,
      dy: 0,
      peak: 0,
    });
    expect(phaseCorrelate(new Float32Array(16).fill(3), new Float32Array(16).fill(3), 4).peak).toBe(0);
  });

  it("gives the same doubles as the first implementation (cached tapers and windows change no bit)", () => {
    // Recorded with the version that computed the taper and the Hann weights per pixel.
    const size = 64;
    const f = (x: number, y: number) =>
      Math.sin(x * 0.37) * 40 + Math.cos(y * 0.23 + x * 0.05) * 25 + Math.sin(x * y * 0.01) * 9;
    const a = new Float32Array(size * size);
    const b = new Float32Array(size * size);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        a[r * size + c] = f(c, r);
        b[r * size + c] = (r * size + c) % 97 === 0 ? NaN : f(c - 2.5, r - 1.25);
      }
    }
    expect(phaseCorrelate(a, b, size)).toEqual({
      dx: 1.6533815443043638,
      dy: 1.2412790183506202,
      peak: 0.32103799749195133,
    });
  });

  it("validates size and buffer lengths", () => {
    expect(() => phaseCorrelate(new Float32Array(9), new Float32Array(9), 3)).toThrow(
      new RangeError("Expected power of two for size but received 3"),
    );
    expect(() => phaseCorrelate(new Float32Array(16), new Float32Array(15), 4)).toThrow(
      "Expected b of length 16 but received 15",
    );
    expect(() => phaseCorrelate(new Float32Array(16), new Float32Array(16), 4, new Float64Array(63))).toThrow(
      "Expected scratch of length at least 64 but received 63",
    );
  });
});
