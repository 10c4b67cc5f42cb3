import { describe, expect, it } from "vitest";
import { estimateShift } from "../../../pipeline/align/co-registration.js";
import { pairGeometry } from "../../../pipeline/align/grid.js";
import { MemorySource } from "../../../pipeline/raster/memory-source.js";
import { mulberry32 } from "../../../pipeline/core/random.js";
import type { RasterInfo } from "../../../pipeline/raster/types.js";

const SIZE = 512;

const rng = mulberry32;

/** A smooth textured scene defined everywhere: Gaussian blobs plus a gentle wave. */
function scene(): (x: number, y: number) => number {
  const rand = rng(7);
  const blobs = Array.from({ length: 400 }, () => ({
    x: rand() * SIZE,
    y: rand() * SIZE,
    s2: 2 * (2 + rand() * 6) ** 2,
    a: 20 + rand() * 80,
  }));
  return (x, y) => {
    let v = 50 + 10 * Math.sin(x / 23) * Math.cos(y / 31);
    for (const b of blobs) {
      const d2 = (x - b.x) ** 2 + (y - b.y) ** 2;
      if (d2 < 9 * b.s2) v += b.a * Math.exp(-d2 / b.s2);
    }
    return v;
  };
}

function source(
  path: string,
  f: (x: number, y: number) => number,
  ox: number,
  oy: number,
  bands: number,
): MemorySource {
  const px = new Float32Array(SIZE * SIZE * bands);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const v = f(c + 0.5 - ox, r + 0.5 - oy);
      for (let b = 0; b < bands; b++) px[(r * SIZE + c) * bands + b] = v * (1 + 0.2 * b);
    }
  }
  const info: RasterInfo = {
    path,
    format: "png",
    width: SIZE,
    height: SIZE,
    bands,
    sampleType: "float32",
    nodata: null,
    epsg: null,
    transform: null,
    acquiredAt: null,
  };
  return new MemorySource(info, px);
}

describe("estimateShift", () => {
  it("recovers a 1.3 / -0.8 px shift of a textured image within 0.15 px", async () => {
    const f = scene();
    const before = source("before.png", f, 0, 0, 3);
    // After shows the scene moved by (1.3, -0.8): after(u) = f(u - s), so before(x) = after(x + s).
    const after = source("after.png", f, 1.3, -0.8, 3);
    const result = await estimateShift(before, after, pairGeometry(before.info, after.info));
    expect(Math.abs(result.dx - 1.3)).toBeLessThan(0.15);
    expect(Math.abs(result.dy + 0.8)).toBeLessThan(0.15);
    expect(result.patchesUsed).toBeGreaterThanOrEqual(5);
    expect(result.confidence).toBeGreaterThan(0.5);
  });

  it("reports shift 0 and confidence 0 when nothing can be correlated", async () => {
    const flat = source("flat.png", () => 7, 0, 0, 1);
    const result = await estimateShift(flat, flat, pairGeometry(flat.info, flat.info));
    expect(result).toEqual({ dx: 0, dy: 0, confidence: 0, patchesUsed: 0 });
  });

  it("rejects a patch size that is not a power of two", async () => {
    const flat = source("flat.png", () => 7, 0, 0, 1);
    await expect(
      estimateShift(flat, flat, pairGeometry(flat.info, flat.info), { patchSizePx: 100 }),
    ).rejects.toThrow("Expected power of two for patchSizePx but received 100 of type number");
  });
});
