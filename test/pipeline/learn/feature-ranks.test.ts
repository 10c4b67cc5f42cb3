import { describe, expect, it } from "vitest";
import { applyFeatureRanks, fitFeatureRanks, RANK_POINTS } from "../../../pipeline/learn/feature-ranks.js";

describe("fitFeatureRanks", () => {
  it("keeps RANK_POINTS quantiles per feature, skipping NaN", () => {
    // Two features, 129 rows: feature 0 is 0..128, feature 1 is 1000 - 2*i with one NaN.
    const rows = 129;
    const x = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = i === 5 ? NaN : 1000 - 2 * i;
    }
    const [t0, t1] = fitFeatureRanks(x, rows, 2);
    expect(t0).toHaveLength(RANK_POINTS);
    expect(t0[0]).toBe(0);
    expect(t0[32]).toBe(64);
    expect(t0[64]).toBe(128);
    expect(t1[0]).toBe(744);
    expect(t1[64]).toBe(1000);
  });

  it("gives a feature with no finite value an all-zero table", () => {
    const [t] = fitFeatureRanks(Float32Array.from([NaN, NaN]), 2, 1);
    expect(t.every((v) => v === 0)).toBe(true);
  });
});

describe("applyFeatureRanks", () => {
  const table = Array.from({ length: RANK_POINTS }, (_, k) => 10 * k);

  it("maps values to their interpolated rank, clamped to [0, 1], NaN kept", () => {
    const x = Float32Array.from([-5, 0, 5, 320, 635, 640, 999, NaN]);
    applyFeatureRanks(x, x.length, [table]);
    expect(Array.from(x)).toEqual([0, 0, 0.5 / 64, 0.5, 63.5 / 64, 1, 1, NaN]);
  });

  it("ranks each interleaved feature with its own table", () => {
    const flat = Array.from({ length: RANK_POINTS }, () => 7);
    flat[RANK_POINTS - 1] = 8;
    const x = Float32Array.from([320, 7.5, 160, 7]);
    applyFeatureRanks(x, 2, [table, flat]);
    // Ties run to the top of their run: every quantile but the last is 7, so 7 ranks 0 only
    // at or below the lowest; 7.5 sits halfway between the 63/64 and 64/64 quantiles.
    expect(Array.from(x)).toEqual([0.5, 63.5 / 64, 0.25, 0]);
  });

  it("refuses a table of the wrong length", () => {
    expect(() => applyFeatureRanks(new Float32Array(1), 1, [[1, 2, 3]])).toThrow(RangeError);
  });
});
