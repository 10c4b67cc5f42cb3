import { describe, it, expect } from "vitest";
import { labelComponents } from "../../../pipeline/core/components.js";
import {
  measureRegions,
  mergeMoments,
  regionShape,
  type RegionMoments,
} from "../../../pipeline/core/regions.js";

function labelsOf(...rows: string[]): Int32Array {
  return Int32Array.from(rows.join(""), (ch) => Number(ch));
}

/** Labels the pixels whose centres fall inside a length x width rectangle rotated by angle. */
function rotatedRectangle(size: number, length: number, width: number, angle: number): Int32Array {
  const labels = new Int32Array(size * size);
  const centre = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5 - centre;
      const py = y + 0.5 - centre;
      const u = px * Math.cos(angle) + py * Math.sin(angle);
      const v = -px * Math.sin(angle) + py * Math.cos(angle);
      if (Math.abs(u) <= length / 2 && Math.abs(v) <= width / 2) labels[y * size + x] = 1;
    }
  }
  return labels;
}

const whole = (width: number, height: number) => ({ x: 0, y: 0, width, height });

describe("measureRegions", () => {
  it("measures a 2x2 square in global coords, hull on its pixel corners", () => {
    const labels = labelsOf("0000", "0110", "0110", "0000");
    const evidence = Float32Array.from({ length: 16 }, (_, i) => (i === 6 ? NaN : i));
    const [square] = measureRegions(labels, 4, 4, 1, [evidence], whole(4, 4), 10, 20);
    expect(square).toEqual({
      area: 4,
      minX: 11,
      minY: 21,
      maxX: 12,
      maxY: 22,
      sumX: 48,
      sumY: 88,
      sumXX: 2 * (11.5 * 11.5 + 12.5 * 12.5),
      sumYY: 2 * (21.5 * 21.5 + 22.5 * 22.5),
      sumXY: 24 * 44,
      evidence: [5 + 9 + 10],
      hull: [11, 21, 13, 21, 13, 23, 11, 23],
    });
  });

  it("counts only pixels inside the window and ignores labels above count", () => {
    const labels = labelsOf("1122", "1122", "3300");
    const regions = measureRegions(labels, 4, 3, 2, [], { x: 1, y: 0, width: 2, height: 2 }, 0, 0);
    expect(regions).toHaveLength(2);
    expect(regions[0]).toMatchObject({
      area: 2,
      minX: 1,
      maxX: 1,
      minY: 0,
      maxY: 1,
      hull: [1, 0, 2, 0, 2, 2, 1, 2],
    });
    expect(regions[1]).toMatchObject({ area: 2, minX: 2, maxX: 2 });
    const none = measureRegions(
      labels,
      4,
      3,
      3,
      [new Float32Array(12)],
      { x: 2, y: 0, width: 2, height: 2 },
      0,
      0,
    );
    expect(none[0]).toEqual({
      area: 0,
      minX: 0,
      minY: 0,
      maxX: -1,
      maxY: -1,
      sumX: 0,
      sumY: 0,
      sumXX: 0,
      sumYY: 0,
      sumXY: 0,
      evidence: [0],
      hull: [],
    });
  });

  it("merges two tile cores into exactly the whole-raster measurement", () => {
    const size = 24;
    const labels = rotatedRectangle(size, 14, 6, 0.5);
    const evidence = Float32Array.from({ length: size * size }, (_, i) => (i % 7) * 0.5);
    const [all] = measureRegions(labels, size, size, 1, [evidence], whole(size, size), 100, 200);
    // The right tile's raster starts at column 10; its core begins where the left core ends.
    const left = measureRegions(
      labels,
      size,
      size,
      1,
      [evidence],
      { x: 0, y: 0, width: 13, height: size },
      100,
      200,
    );
    const rightLabels = new Int32Array(14 * size);
    const rightEvidence = new Float32Array(14 * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < 14; x++) {
        rightLabels[y * 14 + x] = labels[y * size + x + 10];
        rightEvidence[y * 14 + x] = evidence[y * size + x + 10];
      }
    }
    const right = measureRegions(
      rightLabels,
      14,
      size,
      1,
      [rightEvidence],
      { x: 3, y: 0, width: 11, height: size },
      110,
      200,
    );
    const merged = mergeMoments(left[0], right[0]);
    expect(merged.area).toBe(all.area);
    expect([merged.minX, merged.minY, merged.maxX, merged.maxY]).toEqual([
      all.minX,
      all.minY,
      all.maxX,
      all.maxY,
    ]);
    for (const key of ["sumX", "sumY", "sumXX", "sumYY", "sumXY"] as const)
      expect(merged[key]).toBeCloseTo(all[key], 6);
    expect(merged.evidence[0]).toBeCloseTo(all.evidence[0], 9);
    expect(merged.hull).toEqual(all.hull);
  });

  it("validates the window, the offsets and the evidence", () => {
    const labels = new Int32Array(6);
    expect(() => measureRegions(labels, 3, 2, 1, [], { x: 1, y: 0, width: 3, height: 2 }, 0, 0)).toThrow(
      new RangeError("Expected window inside the 3x2 raster but received 3x2 at 1,0"),
    );
    expect(() => measureRegions(labels, 3, 2, 1, [new Float32Array(5)], whole(3, 2), 0, 0)).toThrow(
      "Expected evidence[0] of length 6 but received 5",
    );
    expect(() => measureRegions(labels, 3, 2, 1, [], whole(3, 2), 0.5, 0)).toThrow(
      "Expected integer offsets but received 0.5, 0",
    );
  });
});

describe("mergeMoments", () => {
  const empty: RegionMoments = {
    area: 0,
    minX: 0,
    minY: 0,
    maxX: -1,
    maxY: -1,
    sumX: 0,
    sumY: 0,
    sumXX: 0,
    sumYY: 0,
    sumXY: 0,
    evidence: [0],
    hull: [],
  };
  const [pixel] = measureRegions(new Int32Array([1]), 1, 1, 1, [new Float32Array([2])], whole(1, 1), 5, 6);

  it("returns a copy of the other side when one is empty", () => {
    const merged = mergeMoments(empty, pixel);
    expect(merged).toEqual(pixel);
    expect(merged.hull).not.toBe(pixel.hull);
    expect(mergeMoments(pixel, empty)).toEqual(pixel);
  });

  it("rejects evidence lists of different lengths", () => {
    expect(() => mergeMoments(pixel, { ...empty, evidence: [0, 0] })).toThrow(
      new RangeError("Expected evidence of length 1 but received 2"),
    );
  });
});

describe("regionShape", () => {
  it("describes a filled axis-aligned 4x2 block exactly", () => {
    const [block] = measureRegions(labelsOf("11110", "11110"), 5, 2, 1, [], whole(5, 2), 0, 0);
    expect(regionShape(block)).toEqual({
      centroidX: 2,
      centroidY: 1,
      orientationRad: 0,
      elongation: 2,
      rectangularity: 1,
      lengthPx: 4,
      widthPx: 2,
    });
  });

  it("recovers size and angle of a 10x6 rectangle rotated by 30 degrees", () => {
    const angle = Math.PI / 6;
    const [rect] = measureRegions(rotatedRectangle(20, 10, 6, angle), 20, 20, 1, [], whole(20, 20), 0, 0);
    const shape = regionShape(rect);
    expect(shape.centroidX).toBeCloseTo(10, 0);
    expect(shape.centroidY).toBeCloseTo(10, 0);
    expect(Math.abs(shape.orientationRad - angle)).toBeLessThan(0.1);
    expect(Math.abs(shape.lengthPx - 10)).toBeLessThan(1.5);
    expect(Math.abs(shape.widthPx - 6)).toBeLessThan(1.5);
    expect(shape.elongation).toBeGreaterThan(1.3);
    expect(shape.rectangularity).toBeGreaterThan(0.75);
  });

  it("scores an L-shape and a diagonal line as less rectangular", () => {
    const labels = labelsOf("100000", "100000", "100000", "111111");
    const l = regionShape(measureRegions(labels, 6, 4, 1, [], whole(6, 4), 0, 0)[0]);
    expect(l.rectangularity).toBeCloseTo(9 / 24, 12);
    const diagonal = labelsOf("1000", "0100", "0010", "0001");
    const line = regionShape(measureRegions(diagonal, 4, 4, 1, [], whole(4, 4), 0, 0)[0]);
    expect(line.rectangularity).toBeLessThan(0.6);
    expect(Math.abs(line.orientationRad - Math.PI / 4)).toBeLessThan(1e-9);
  });

  it("gives NaN centroid and elongation for an empty region", () => {
    const [none] = measureRegions(new Int32Array(1), 1, 1, 1, [], whole(1, 1), 0, 0);
    expect(regionShape(none)).toEqual({
      centroidX: NaN,
      centroidY: NaN,
      orientationRad: 0,
      elongation: NaN,
      rectangularity: 0,
      lengthPx: 0,
      widthPx: 0,
    });
  });

  it("works on labels from labelComponents", () => {
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 1]);
    const labels = new Int32Array(6);
    const count = labelComponents(mask, 3, 2, labels, 4);
    const shapes = measureRegions(labels, 3, 2, count, [], whole(3, 2), 0, 0).map(regionShape);
    expect(shapes.map((s) => [s.lengthPx, s.widthPx])).toEqual([
      [2, 1],
      [1, 1],
    ]);
  });
});
