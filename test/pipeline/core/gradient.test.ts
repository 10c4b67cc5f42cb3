import { describe, it, expect } from "vitest";
import { sobelMagnitude } from "../../../pipeline/core/gradient.js";

describe("sobelMagnitude", () => {
  it("gives the slope of a linear ramp, halved at the replicated borders", () => {
    // Slope 2 per pixel along x, 3 rows.
    const gray = new Float32Array([0, 2, 4, 6, 0, 2, 4, 6, 0, 2, 4, 6]);
    const out = new Float32Array(12);
    sobelMagnitude(gray, 4, 3, out);
    expect(Array.from(out)).toEqual([1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2, 1]);
  });

  it("gives 0.5 either side of a unit step, along y as well", () => {
    const gray = new Float32Array([0, 0, 0, 0, 1, 1, 1, 1]);
    const out = new Float32Array(8);
    // Transposed: a 2x4 image whose rows are 0,0 / 0,0 / 1,1 / 1,1.
    sobelMagnitude(gray, 2, 4, out);
    expect(Array.from(out)).toEqual([0, 0, 0.5, 0.5, 0.5, 0.5, 0, 0]);
  });

  it("combines both axes as sqrt(gx^2 + gy^2)", () => {
    // f = 3x + 4y: the centre of a 3x3 sees slope 5.
    const gray = new Float32Array([0, 3, 6, 4, 7, 10, 8, 11, 14]);
    const out = new Float32Array(9);
    sobelMagnitude(gray, 3, 3, out);
    expect(out[4]).toBe(5);
  });

  it("gives NaN wherever the 3x3 neighbourhood holds NaN", () => {
    const gray = new Float32Array([NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const out = new Float32Array(12);
    sobelMagnitude(gray, 4, 3, out);
    expect(Array.from(out)).toEqual([NaN, NaN, 0, 0, NaN, NaN, 0, 0, 0, 0, 0, 0]);
    const centre = new Float32Array([1, 1, 1, 1, NaN, 1, 1, 1, 1]);
    sobelMagnitude(centre, 3, 3, out.subarray(0, 9));
    expect(Array.from(out.subarray(0, 9)).every((v) => Number.isNaN(v))).toBe(true);
  });

  it("handles one-pixel and empty images", () => {
    const out = new Float32Array(1);
    sobelMagnitude(new Float32Array([5]), 1, 1, out);
    expect(out[0]).toBe(0);
    expect(() => sobelMagnitude(new Float32Array(0), 0, 3, new Float32Array(0))).not.toThrow();
  });

  it("checks the output length", () => {
    expect(() => sobelMagnitude(new Float32Array(6), 3, 2, new Float32Array(5))).toThrow(
      new RangeError("Expected out of length 6 but received 5"),
    );
  });
});
