import { describe, it, expect } from "vitest";
import { changeVectorMagnitude } from "../../../pipeline/core/change-vector.js";

describe("changeVectorMagnitude", () => {
  // Three pixels, two bands, pixel-interleaved.
  const before = new Float32Array([0, 0, 1, 1, 5, 5]);
  const after = new Float32Array([3, 4, 1, 1, 5, NaN]);

  it("computes the Euclidean length of the band differences", () => {
    const out = new Float32Array(3);
    changeVectorMagnitude(before, after, 3, 2, out);
    expect(Array.from(out)).toEqual([5, 0, NaN]);
  });

  it("weights bands before squaring", () => {
    const out = new Float32Array(3);
    changeVectorMagnitude(before, after, 3, 2, out, new Float32Array([2, 0]));
    expect(Array.from(out)).toEqual([6, 0, NaN]);
  });

  it("handles zero pixels", () => {
    expect(() =>
      changeVectorMagnitude(new Float32Array(0), new Float32Array(0), 0, 4, new Float32Array(0)),
    ).not.toThrow();
  });

  it("checks buffer lengths", () => {
    expect(() => changeVectorMagnitude(before, after, 3, 2, new Float32Array(2))).toThrow(
      new RangeError("Expected out of length 3 but received 2"),
    );
    expect(() => changeVectorMagnitude(before, after.subarray(1), 3, 2, new Float32Array(3))).toThrow(
      "Expected after of length 6 but received 5",
    );
    expect(() =>
      changeVectorMagnitude(before, after, 3, 2, new Float32Array(3), new Float32Array(1)),
    ).toThrow("Expected bandWeight of length 2 but received 1");
  });
});
