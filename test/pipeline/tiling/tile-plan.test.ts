import { describe, expect, it } from "vitest";
import { planTiles, requiredHaloPx } from "../../../pipeline/tiling/tile-plan.js";

describe("planTiles", () => {
  it("cuts an area into cores that cover it exactly once, with clipped halos", () => {
    const plan = planTiles({ x: 10, y: 20, width: 25, height: 12 }, 10, 3);
    expect(plan.cols).toBe(3);
    expect(plan.rows).toBe(2);
    expect(plan.tiles.map((t) => t.core)).toEqual([
      { x: 10, y: 20, width: 10, height: 10 },
      { x: 20, y: 20, width: 10, height: 10 },
      { x: 30, y: 20, width: 5, height: 10 },
      { x: 10, y: 30, width: 10, height: 2 },
      { x: 20, y: 30, width: 10, height: 2 },
      { x: 30, y: 30, width: 5, height: 2 },
    ]);
    expect(plan.tiles[1].window).toEqual({ x: 17, y: 20, width: 16, height: 12 });
    expect(plan.tiles[5].window).toEqual({ x: 27, y: 27, width: 8, height: 5 });
  });

  it("rejects a bad tile size", () => {
    expect(() => planTiles({ x: 0, y: 0, width: 5, height: 5 }, 0, 1)).toThrow(
      "Expected positive integer for tileSizePx but received 0",
    );
  });

  it("sizes the halo from the filters a tile applies", () => {
    expect(requiredHaloPx(2, 1, 1)).toBe(8);
    expect(requiredHaloPx(0, 0, 0)).toBe(2);
  });
});
