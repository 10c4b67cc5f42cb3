import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../config/defaults.js";
import { closePair, openPair, planPair } from "../../pipeline/run/plan-pair.js";

const before = "samples/tumen/acquisitions/2024-10-12-tumen.tif";
const after = "samples/tumen/acquisitions/2025-07-26-tumen.tif";

describe("a pair planned inside an area-of-interest window", () => {
  it("compares only the window: overlap and tiles lie inside it", async () => {
    const pair = await openPair(before, after, defaultSettings);
    try {
      const windowPx = { x: 50, y: 25, width: 1050, height: 150 };
      const plan = await planPair(pair, { settings: { ...defaultSettings, tileSizePx: 512 }, windowPx });
      expect(plan.geometry.overlap).toEqual(windowPx);
      for (const { core } of plan.tiles.tiles) {
        expect(core.x).toBeGreaterThanOrEqual(50);
        expect(core.x + core.width).toBeLessThanOrEqual(1100);
      }
      await expect(
        planPair(pair, { settings: defaultSettings, windowPx: { x: 2000, y: 0, width: 100, height: 100 } }),
      ).rejects.toThrow(
        `${before}: the window 100x100+2000+0 leaves less than 16 px of the part both images cover`,
      );
    } finally {
      await closePair(pair);
    }
  });
});
