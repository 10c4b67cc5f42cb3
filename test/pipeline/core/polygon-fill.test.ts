import { describe, expect, it } from "vitest";
import { forEachPixelInPolygon, pointInRing } from "../../../pipeline/core/polygon-fill.js";

describe("pointInRing", () => {
  const square: [number, number][] = [
    [0, 0],
    [4, 0],
    [4, 4],
    [0, 4],
  ];
  it("tells inside from outside with the even-odd rule, closed or open rings alike", () => {
    expect(pointInRing(square, 2, 2)).toBe(true);
    expect(pointInRing(square, 5, 2)).toBe(false);
    expect(pointInRing([...square, [0, 0]], 2, 2)).toBe(true);
    expect(pointInRing([], 0, 0)).toBe(false);
  });
});

describe("forEachPixelInPolygon", () => {
  it("visits the pixels whose centres a triangle covers, clipped to the grid", () => {
    const visited: string[] = [];
    const triangle: [number, number][] = [
      [0, 0],
      [4, 0],
      [0, 4],
    ];
    forEachPixelInPolygon(triangle, 3, 3, (x, y) => visited.push(`${x},${y}`));
    expect(visited).toEqual(["0,0", "1,0", "2,0", "0,1", "1,1", "0,2"]);
  });

  it("visits nothing for a degenerate ring", () => {
    let n = 0;
    forEachPixelInPolygon(
      [
        [0, 0],
        [2, 2],
      ],
      4,
      4,
      () => n++,
    );
    expect(n).toBe(0);
  });
});
