import { describe, it, expect } from "vitest";
import {
  histogram,
  otsuThreshold,
  quantileFromHistogram,
  robustStats,
} from "../../../pipeline/core/threshold.js";

describe("histogram", () => {
  it("bins values, clamps out-of-range ones and skips NaN", () => {
    const values = new Float32Array([-1, 0, 0.5, 1, 1.99, 2, 5, NaN, Infinity, -Infinity]);
    const out = new Uint32Array([7, 7, 7, 7]);
    histogram(values, values.length, 0, 2, out);
    expect(Array.from(out)).toEqual([3, 1, 1, 4]);
  });

  it("only reads the first count values", () => {
    const out = new Uint32Array(2);
    histogram(new Float32Array([0, 1, 1]), 1, 0, 1, out);
    expect(Array.from(out)).toEqual([1, 0]);
  });

  it("puts values at or below an empty range in the first bin and the rest in the last", () => {
    const out = new Uint32Array(3);
    histogram(new Float32Array([0, 1, 2, NaN]), 4, 1, 1, out);
    expect(Array.from(out)).toEqual([2, 0, 1]);
  });

  it("validates its arguments", () => {
    expect(() => histogram(new Float32Array(4), 5, 0, 1, new Uint32Array(2))).toThrow(
      new RangeError("Expected values of length at least 5 but received 4"),
    );
    expect(() => histogram(new Float32Array(4), 4, 0, 1, new Uint32Array(0))).toThrow(
      "Expected positive integer for bins but received 0",
    );
    expect(() => histogram(new Float32Array(4), 4, 2, 1, new Uint32Array(2))).toThrow(
      "Expected finite min <= max but received min 2 and max 1",
    );
  });
});

describe("otsuThreshold", () => {
  it("splits a 3x3 image into its two populations", () => {
    const image = new Float32Array([10, 10, 10, 10, 20, 20, 20, 30, 30]);
    const hist = new Uint32Array(4);
    histogram(image, 9, 0, 40, hist);
    expect(Array.from(hist)).toEqual([0, 4, 3, 2]);
    // Between-class variance: k=1 gives 4*5*(1-2.4)^2 = 39.2, k=2 gives 14*(11/7)^2 = 34.57.
    expect(otsuThreshold(hist, 0, 40)).toBe(20);
  });

  it("returns the middle of an empty gap between the classes", () => {
    const hist = new Uint32Array([0, 3, 2, 0, 0, 0, 0, 0, 1, 3]);
    expect(otsuThreshold(hist, 0, 10)).toBe(5.5);
  });

  it("returns max when there is no split", () => {
    expect(otsuThreshold(new Uint32Array(8), 0, 1)).toBe(1);
    expect(otsuThreshold(new Uint32Array([0, 9, 0]), -3, 3)).toBe(3);
    expect(otsuThreshold(new Uint32Array([5]), 0, 1)).toBe(1);
  });
});

describe("quantileFromHistogram", () => {
  const hist = new Uint32Array([2, 2]);

  it("interpolates inside the bin that reaches the quantile", () => {
    expect(quantileFromHistogram(hist, 0, 2, 0)).toBe(0);
    expect(quantileFromHistogram(hist, 0, 2, 0.25)).toBe(0.5);
    expect(quantileFromHistogram(hist, 0, 2, 0.5)).toBe(1);
    expect(quantileFromHistogram(hist, 0, 2, 1)).toBe(2);
  });

  it("skips empty leading bins and returns NaN for an empty histogram", () => {
    expect(quantileFromHistogram(new Uint32Array([0, 0, 4, 0]), 0, 4, 0)).toBe(2);
    expect(quantileFromHistogram(new Uint32Array(4), 0, 4, 0.5)).toBeNaN();
  });

  it("rejects q outside [0, 1]", () => {
    expect(() => quantileFromHistogram(hist, 0, 2, 1.5)).toThrow("Expected q in [0, 1] but received 1.5");
  });
});

describe("robustStats", () => {
  it("approximates median and MAD within one bin width", () => {
    const values = new Float32Array([1, 2, 3, 4, 100, NaN]);
    const { median, mad } = robustStats(values, values.length);
    expect(Math.abs(median - 3)).toBeLessThan(99 / 4096);
    // Deviations 2, 1, 0, 1, 97: median 1.
    expect(Math.abs(mad - 1)).toBeLessThan(2 * (99 / 4096));
  });

  it("uses the given histogram as scratch and its length as bin count", () => {
    const hist = new Uint32Array(9);
    const { median } = robustStats(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8]), 9, hist);
    expect(median).toBeCloseTo(4, 10);
  });

  it("gives MAD 0 for constant data, even with infinities", () => {
    expect(robustStats(new Float32Array([7, 7, 7]), 3)).toEqual({ median: 7, mad: 0 });
    expect(robustStats(new Float32Array([7, 7, 7, Infinity]), 4)).toEqual({ median: 7, mad: 0 });
  });

  it("returns NaN for no finite values", () => {
    expect(robustStats(new Float32Array(0), 0)).toEqual({ median: NaN, mad: NaN });
    expect(robustStats(new Float32Array([NaN, Infinity]), 2)).toEqual({ median: NaN, mad: NaN });
  });
});
