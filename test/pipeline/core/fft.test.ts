import { describe, it, expect } from "vitest";
import { fft, fft2d, fftStrided } from "../../../pipeline/core/fft.js";

describe("fft", () => {
  it("transforms an impulse into a flat spectrum", () => {
    const re = new Float64Array([1, 0, 0, 0]);
    const im = new Float64Array(4);
    fft(re, im);
    expect(Array.from(re)).toEqual([1, 1, 1, 1]);
    expect(Array.from(im)).toEqual([0, 0, 0, 0]);
  });

  it("matches the DFT of [1, 2, 3, 4] with the e^(-2 pi i jk/n) sign", () => {
    const re = new Float64Array([1, 2, 3, 4]);
    const im = new Float64Array(4);
    fft(re, im);
    const want = [
      [10, 0],
      [-2, 2],
      [-2, 0],
      [-2, -2],
    ];
    for (let k = 0; k < 4; k++) {
      expect(re[k]).toBeCloseTo(want[k][0], 12);
      expect(im[k]).toBeCloseTo(want[k][1], 12);
    }
  });

  it("inverts, including the 1/n scaling", () => {
    const re = Float64Array.from({ length: 16 }, (_, i) => Math.sin(i * 1.3) + i);
    const im = Float64Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.7));
    const re0 = re.slice();
    const im0 = im.slice();
    fft(re, im);
    fft(re, im, true);
    for (let i = 0; i < 16; i++) {
      expect(re[i]).toBeCloseTo(re0[i], 12);
      expect(im[i]).toBeCloseTo(im0[i], 12);
    }
  });

  it("accepts length 1 and propagates NaN", () => {
    const one = new Float64Array([3]);
    fft(one, new Float64Array(1));
    expect(one[0]).toBe(3);
    const re = new Float64Array([1, NaN]);
    fft(re, new Float64Array(2));
    expect(Array.from(re)).toEqual([NaN, NaN]);
  });

  it("transforms a strided subsequence in place", () => {
    // Every other element from offset 1: the sequence [1, 0] -> [1, 1].
    const re = new Float64Array([9, 1, 9, 0, 9]);
    const im = new Float64Array(5);
    fftStrided(re, im, 2, 1, 2, false);
    expect(Array.from(re)).toEqual([9, 1, 9, 1, 9]);
  });

  it("rejects non-power-of-two and mismatched lengths", () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(
      new RangeError("Expected power of two for n but received 6"),
    );
    expect(() => fft(new Float64Array(4), new Float64Array(2))).toThrow(
      "Expected im of length 4 but received 2",
    );
    expect(() => fftStrided(new Float64Array(4), new Float64Array(4), 4, 1, 1, false)).toThrow(
      "Expected re of length at least 5 but received 4",
    );
  });
});

describe("fft2d", () => {
  it("puts the sum at DC and inverts exactly", () => {
    const width = 8;
    const height = 4;
    const re = Float64Array.from({ length: 32 }, (_, i) => (i * 7) % 5);
    const im = new Float64Array(32);
    const re0 = re.slice();
    fft2d(re, im, width, height);
    expect(re[0]).toBeCloseTo(
      re0.reduce((s, v) => s + v, 0),
      12,
    );
    fft2d(re, im, width, height, true);
    for (let i = 0; i < 32; i++) {
      expect(re[i]).toBeCloseTo(re0[i], 12);
      expect(im[i]).toBeCloseTo(0, 12);
    }
  });

  it("rejects bad sizes", () => {
    expect(() => fft2d(new Float64Array(12), new Float64Array(12), 4, 3)).toThrow(
      "Expected power of two for height but received 3",
    );
  });
});
