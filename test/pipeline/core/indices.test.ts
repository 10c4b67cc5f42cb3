import { describe, it, expect } from "vitest";
import { brightness, excessGreen, normalisedDifference } from "../../../pipeline/core/indices.js";

describe("brightness", () => {
  it("averages the bands of each pixel and propagates NaN", () => {
    const img = new Float32Array([1, 2, 3, 0, 0, 0, 4, NaN, 4]);
    const out = new Float32Array(3);
    brightness(img, 3, 3, out);
    expect(Array.from(out)).toEqual([2, 0, NaN]);
  });

  it("checks the output length", () => {
    expect(() => brightness(new Float32Array(3), 1, 3, new Float32Array(2))).toThrow(
      "Expected out of length 1 but received 2",
    );
  });
});

describe("normalisedDifference", () => {
  it("computes (a-b)/(a+b), 0 for a zero sum, NaN for NaN", () => {
    // Bands: red, nir.
    const img = new Float32Array([1, 3, 2, 2, 0, 0, -1, 1, NaN, 1]);
    const out = new Float32Array(5);
    normalisedDifference(img, 5, 2, 1, 0, out);
    expect(Array.from(out)).toEqual([0.5, 0, 0, 0, NaN]);
  });

  it("rejects a band index outside the image", () => {
    expect(() => normalisedDifference(new Float32Array(2), 1, 2, 2, 0, new Float32Array(1))).toThrow(
      "Expected bandA to be a band index in [0, 1] but received 2",
    );
  });
});

describe("excessGreen", () => {
  it("computes (2g-r-b)/(r+g+b), 0 for a zero sum, NaN for NaN", () => {
    // BGR order with an extra band, to exercise the band indices.
    const img = new Float32Array([1, 2, 1, 9, 0, 0, 0, 9, 2, 1, 1, 9, NaN, 1, 1, 9]);
    const out = new Float32Array(4);
    excessGreen(img, 4, 4, 2, 1, 0, out);
    expect(Array.from(out)).toEqual([0.5, 0, -0.25, NaN]);
  });

  it("rejects a band index outside the image", () => {
    expect(() => excessGreen(new Float32Array(3), 1, 3, 0, 1, 3, new Float32Array(1))).toThrow(
      "Expected blue to be a band index in [0, 2] but received 3",
    );
  });
});
