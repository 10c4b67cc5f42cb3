import { describe, it, expect } from "vitest";
import {
  checkBandIndex,
  checkImage,
  checkInRange,
  checkLength,
  checkMinLength,
  checkNonNegativeInteger,
  checkPixels,
  checkPositiveInteger,
  checkPowerOfTwo,
} from "../../../pipeline/core/validate.js";

describe("validate", () => {
  it("accepts valid values silently", () => {
    expect(() => {
      checkNonNegativeInteger("width", 0);
      checkPositiveInteger("bands", 3);
      checkLength("out", 4, 4);
      checkMinLength("scratch", 5, 4);
      checkInRange("q", 1, 0, 1);
      checkImage("img", new Float32Array(6), 3, 2);
      checkPixels("img", new Float32Array(6), 2, 3);
      checkBandIndex("red", 2, 3);
      checkPowerOfTwo("size", 1);
    }).not.toThrow();
  });

  it("throws one-line RangeErrors", () => {
    expect(() => checkNonNegativeInteger("width", 1.5)).toThrow(
      new RangeError("Expected non-negative integer for width but received 1.5"),
    );
    expect(() => checkPositiveInteger("bands", 0)).toThrow(
      "Expected positive integer for bands but received 0",
    );
    expect(() => checkLength("out", 9, 12)).toThrow("Expected out of length 12 but received 9");
    expect(() => checkMinLength("scratch", 9, 12)).toThrow(
      "Expected scratch of length at least 12 but received 9",
    );
    expect(() => checkInRange("q", NaN, 0, 1)).toThrow("Expected q in [0, 1] but received NaN");
    expect(() => checkImage("img", new Float32Array(5), 3, 2)).toThrow(
      "Expected img of length 6 but received 5",
    );
    expect(() => checkPixels("img", new Float32Array(6), 2, 0)).toThrow(
      "Expected positive integer for bands but received 0",
    );
    expect(() => checkBandIndex("red", 3, 3)).toThrow(
      "Expected red to be a band index in [0, 2] but received 3",
    );
    expect(() => checkPowerOfTwo("size", 12)).toThrow("Expected power of two for size but received 12");
    expect(() => checkPowerOfTwo("size", 0)).toThrow(RangeError);
  });
});
