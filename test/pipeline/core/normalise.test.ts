import { describe, it, expect } from "vitest";
import { applyNormalisation, fitNormalisation } from "../../../pipeline/core/normalise.js";

/** Deterministic values in [0, 1) (Numerical Recipes LCG), so the test data is reproducible. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Two-band scene: band 0 maps by gain 2 offset 5, band 1 by gain 0.5 offset -1. */
function scene(pixels: number, changedEvery: number): { before: Float32Array; after: Float32Array } {
  const random = lcg(42);
  const before = new Float32Array(pixels * 2);
  const after = new Float32Array(pixels * 2);
  for (let i = 0; i < pixels; i++) {
    // Small integers keep 2*a+5 and 0.5*a-1 exact in float32.
    const a0 = Math.floor(random() * 200);
    const a1 = Math.floor(random() * 200);
    after[2 * i] = a0;
    after[2 * i + 1] = a1;
    before[2 * i] = 2 * a0 + 5;
    before[2 * i + 1] = 0.5 * a1 - 1;
    if (changedEvery > 0 && i % changedEvery === 0) {
      // A new roof: much brighter in band 0, darker in band 1 than the old ground predicts.
      before[2 * i] -= 150 + Math.floor(random() * 100);
      before[2 * i + 1] += 60 + Math.floor(random() * 40);
    }
  }
  return { before, after };
}

describe("fitNormalisation", () => {
  it("recovers gain and offset exactly on clean data", () => {
    const { before, after } = scene(200, 0);
    const { gain, offset } = fitNormalisation(before, after, 200, 2);
    expect(gain[0]).toBeCloseTo(2, 12);
    expect(offset[0]).toBeCloseTo(5, 10);
    expect(gain[1]).toBeCloseTo(0.5, 12);
    expect(offset[1]).toBeCloseTo(-1, 10);
  });

  it("stays on the unchanged pixels when 20% of them changed", () => {
    const { before, after } = scene(1000, 5);
    const plain = fitNormalisation(before, after, 1000, 2, { iterations: 0 });
    // Without the iterations the change drags the fit far off...
    expect(Math.abs(plain.offset[0] - 5)).toBeGreaterThan(10);
    const { gain, offset } = fitNormalisation(before, after, 1000, 2);
    // ...with them the changed pixels are rejected and the fit is exact again.
    expect(gain[0]).toBeCloseTo(2, 9);
    expect(offset[0]).toBeCloseTo(5, 6);
    expect(gain[1]).toBeCloseTo(0.5, 9);
    expect(offset[1]).toBeCloseTo(-1, 6);
  });

  it("skips pixels with NaN in any band of either image", () => {
    const before = new Float32Array([7, 1, 9, 1, NaN, 1, 1000, 1]);
    const after = new Float32Array([1, 0, 2, 0, 50, 0, 3, NaN]);
    const { gain, offset } = fitNormalisation(before, after, 4, 2, { iterations: 0 });
    expect(Array.from(gain)).toEqual([2, 1]);
    expect(Array.from(offset)).toEqual([5, 1]);
  });

  it("matches means only for a constant band", () => {
    const { gain, offset } = fitNormalisation(new Float32Array([4, 6]), new Float32Array([1, 1]), 2, 1);
    expect(Array.from(gain)).toEqual([1]);
    expect(Array.from(offset)).toEqual([4]);
  });

  it("returns the identity without finite pixels", () => {
    const none = fitNormalisation(new Float32Array([NaN, 1]), new Float32Array([1, NaN]), 1, 2);
    expect(Array.from(none.gain)).toEqual([1, 1]);
    expect(Array.from(none.offset)).toEqual([0, 0]);
    const empty = fitNormalisation(new Float32Array(0), new Float32Array(0), 0, 3);
    expect(Array.from(empty.gain)).toEqual([1, 1, 1]);
  });

  it("validates its arguments", () => {
    expect(() => fitNormalisation(new Float32Array(4), new Float32Array(3), 2, 2)).toThrow(
      new RangeError("Expected after of length 4 but received 3"),
    );
    expect(() =>
      fitNormalisation(new Float32Array(2), new Float32Array(2), 2, 1, { keepFraction: 0 }),
    ).toThrow("Expected keepFraction in (0, 1] but received 0");
    expect(() =>
      fitNormalisation(new Float32Array(2), new Float32Array(2), 2, 1, { iterations: -1 }),
    ).toThrow("Expected non-negative integer for iterations but received -1");
  });
});

describe("applyNormalisation", () => {
  const norm = { gain: new Float64Array([2, 0.5]), offset: new Float64Array([5, -1]) };

  it("applies gain and offset per band, in place, keeping NaN", () => {
    const img = new Float32Array([1, 4, NaN, 0]);
    applyNormalisation(img, 2, 2, norm, img);
    expect(Array.from(img)).toEqual([7, 1, NaN, -1]);
  });

  it("checks the lengths of out, gain and offset", () => {
    expect(() => applyNormalisation(new Float32Array(4), 2, 2, norm, new Float32Array(3))).toThrow(
      "Expected out of length 4 but received 3",
    );
    expect(() => applyNormalisation(new Float32Array(3), 1, 3, norm, new Float32Array(3))).toThrow(
      "Expected gain of length 3 but received 2",
    );
  });
});
