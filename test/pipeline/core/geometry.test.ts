import { describe, it, expect } from "vitest";
import { convexHull, minAreaRect, polygonArea } from "../../../pipeline/core/geometry.js";

describe("convexHull", () => {
  it("keeps the four corners of a 2x2 pixel block and drops edge midpoints and the centre", () => {
    const corners: number[] = [];
    for (let y = 0; y <= 2; y++) for (let x = 0; x <= 2; x++) corners.push(x, y);
    expect(convexHull(corners)).toEqual([0, 0, 2, 0, 2, 2, 0, 2]);
  });

  it("orders vertices for a positive shoelace sum, starting at the smallest x then y", () => {
    const hull = convexHull([3, 1, 0, 0, 1, 3, 1, 1, 0, 2]);
    expect(hull).toEqual([0, 0, 3, 1, 1, 3, 0, 2]);
    let twice = 0;
    for (let i = 0; i < hull.length; i += 2) {
      const j = (i + 2) % hull.length;
      twice += hull[i] * hull[j + 1] - hull[j] * hull[i + 1];
    }
    expect(twice).toBeGreaterThan(0);
  });

  it("reduces degenerate input", () => {
    expect(convexHull([])).toEqual([]);
    expect(convexHull([4, 5])).toEqual([4, 5]);
    expect(convexHull([4, 5, 4, 5, 4, 5])).toEqual([4, 5]);
    expect(convexHull([2, 2, 0, 0, 1, 1, 3, 3])).toEqual([0, 0, 3, 3]);
    expect(convexHull(new Float64Array([0, 0, NaN, 9, 1, 0, 0, 1]))).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it("rejects an odd number of coordinates", () => {
    expect(() => convexHull([1, 2, 3])).toThrow(
      new RangeError("Expected points of even length but received 3"),
    );
  });
});

describe("polygonArea", () => {
  it("is the absolute shoelace area", () => {
    expect(polygonArea([0, 0, 2, 0, 2, 2, 0, 2])).toBe(4);
    expect(polygonArea([0, 2, 2, 2, 2, 0, 0, 0])).toBe(4);
    expect(polygonArea([0, 0, 4, 0, 0, 3])).toBe(6);
  });

  it("is 0 below three vertices and NaN with NaN", () => {
    expect(polygonArea([0, 0, 1, 1])).toBe(0);
    expect(polygonArea([0, 0, 1, NaN, 0, 1])).toBeNaN();
  });
});

describe("minAreaRect", () => {
  it("fits an axis-aligned rectangle, long side as width", () => {
    expect(minAreaRect([0, 0, 4, 0, 4, 2, 0, 2])).toEqual({ cx: 2, cy: 1, width: 4, height: 2, angleRad: 0 });
    const tall = minAreaRect([0, 0, 2, 0, 2, 4, 0, 4]);
    expect(tall.width).toBeCloseTo(4, 12);
    expect(tall.height).toBeCloseTo(2, 12);
    expect(tall.angleRad).toBeCloseTo(Math.PI / 2, 12);
  });

  it("finds the orientation of a rotated rectangle, y pointing down", () => {
    const angle = Math.PI / 6;
    const [ux, uy, vx, vy] = [Math.cos(angle), Math.sin(angle), -Math.sin(angle), Math.cos(angle)];
    const hull = convexHull(
      [-5, -2, 5, -2, 5, 2, -5, 2].flatMap((_, i, p) =>
        i % 2 === 0 ? [10 + p[i] * ux + p[i + 1] * vx, 20 + p[i] * uy + p[i + 1] * vy] : [],
      ),
    );
    const rect = minAreaRect(hull);
    expect(rect.cx).toBeCloseTo(10, 9);
    expect(rect.cy).toBeCloseTo(20, 9);
    expect(rect.width).toBeCloseTo(10, 9);
    expect(rect.height).toBeCloseTo(4, 9);
    expect(rect.angleRad).toBeCloseTo(angle, 9);
  });

  it("handles a diamond, a segment, one point and nothing", () => {
    const diamond = minAreaRect([1, 0, 2, 1, 1, 2, 0, 1]);
    expect(diamond.width).toBeCloseTo(Math.SQRT2, 12);
    expect(diamond.height).toBeCloseTo(Math.SQRT2, 12);
    const segment = minAreaRect([0, 0, 3, 4]);
    expect(segment.cx).toBeCloseTo(1.5, 12);
    expect(segment.cy).toBeCloseTo(2, 12);
    expect(segment.width).toBeCloseTo(5, 12);
    expect(segment.height).toBeCloseTo(0, 12);
    expect(segment.angleRad).toBeCloseTo(Math.atan2(4, 3), 12);
    expect(minAreaRect([7, 8])).toEqual({ cx: 7, cy: 8, width: 0, height: 0, angleRad: 0 });
    expect(minAreaRect([])).toEqual({ cx: NaN, cy: NaN, width: 0, height: 0, angleRad: 0 });
  });
});
