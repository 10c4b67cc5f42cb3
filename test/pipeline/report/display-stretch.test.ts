import { describe, expect, it } from "vitest";
import {
  beforeStretch,
  NO_DATA_GREY,
  toDisplayRgb,
  type DisplayStretch,
} from "../../../pipeline/report/display-stretch.js";
import type { PairStats } from "../../../pipeline/run/pair-plan.js";

describe("toDisplayRgb", () => {
  it("stretches each display band linearly between its low and high, clamped", () => {
    // Two pixels of four bands (say uint16 B, G, R, NIR); display R, G, B = bands 2, 1, 0.
    const samples = Float32Array.from([100, 200, 300, 9, 0, 1000, 5000, 9]);
    const stretch: DisplayStretch = { bands: [2, 1, 0], low: [300, 200, 100], high: [1300, 1200, 200] };
    expect([...toDisplayRgb(samples, 2, 4, stretch, new Uint8Array(6))]).toEqual([0, 0, 0, 255, 204, 0]);
  });

  it("fills all three channels from one grey band and shows NaN as no-data grey", () => {
    const samples = Float32Array.from([0.5, NaN, 2]);
    const stretch: DisplayStretch = { bands: [0], low: [0], high: [1] };
    expect([...toDisplayRgb(samples, 3, 1, stretch, new Uint8Array(9))]).toEqual([
      128,
      128,
      128,
      NO_DATA_GREY,
      NO_DATA_GREY,
      NO_DATA_GREY,
      255,
      255,
      255,
    ]);
  });

  it("does not divide by zero on a flat band", () => {
    const stretch: DisplayStretch = { bands: [0], low: [5], high: [5] };
    expect([...toDisplayRgb(Float32Array.from([5]), 1, 1, stretch, new Uint8Array(3))]).toEqual([0, 0, 0]);
  });
});

describe("beforeStretch", () => {
  it("carries the after percentiles into before's radiometry through the normalisation", () => {
    const stats = { displayBands: [1], stretchLow: [10], stretchHigh: [110], gain: [1, 2], offset: [0, -5] };
    expect(beforeStretch(stats as unknown as PairStats)).toEqual({ bands: [1], low: [15], high: [215] });
  });
});
