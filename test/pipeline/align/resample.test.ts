import { describe, expect, it } from "vitest";
import type { AffineMapping } from "../../../pipeline/align/grid.js";
import { readAligned } from "../../../pipeline/align/read-aligned.js";
import { afterWindowFor, resampleBilinear } from "../../../pipeline/align/resample.js";
import { MemorySource } from "../../../pipeline/raster/memory-source.js";

const IDENTITY: AffineMapping = { a0: 0, a1: 1, a2: 0, b0: 0, b1: 0, b2: 1 };

/** 4 x 3 ramp, one band: value = col + 10 * row. */
const RAMP = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
const RAMP_WINDOW = { x: 0, y: 0, width: 4, height: 3 };

describe("resampleBilinear", () => {
  it("interpolates a ramp exactly at a sub-pixel shift, NaN where a neighbour is outside", () => {
    const out = new Float32Array(12);
    resampleBilinear(RAMP, RAMP_WINDOW, 1, IDENTITY, { dx: 0.5, dy: 0.25 }, RAMP_WINDOW, out);
    // Sample point (col + 0.5, row + 0.25) in ramp units: value col + 0.5 + 10 * row + 2.5.
    expect(Array.from(out)).toEqual([3, 4, 5, NaN, 13, 14, 15, NaN, NaN, NaN, NaN, NaN]);
  });

  it("copies on a whole-pixel translation, NaN outside the source", () => {
    const out = new Float32Array(9);
    const mapping = { ...IDENTITY, a0: 2, b0: 1 };
    resampleBilinear(
      RAMP,
      RAMP_WINDOW,
      1,
      mapping,
      { dx: 0, dy: 0 },
      { x: 0, y: 0, width: 3, height: 3 },
      out,
    );
    expect(Array.from(out)).toEqual([12, 13, NaN, 22, 23, NaN, NaN, NaN, NaN]);
  });

  it("copies on a whole-pixel translation to the left", () => {
    const out = new Float32Array(6);
    resampleBilinear(
      RAMP,
      RAMP_WINDOW,
      1,
      IDENTITY,
      { dx: -1, dy: 0 },
      { x: 0, y: 1, width: 3, height: 2 },
      out,
    );
    expect(Array.from(out)).toEqual([NaN, 10, 11, NaN, 20, 21]);
  });

  it("samples a coarser after grid (half the pixels) and respects dstWindow and src offsets", () => {
    // Before pixel centre x + 0.5 maps to after 0.5 * (x + 0.5); src window starts at after (1, 0).
    const mapping = { a0: 0, a1: 0.5, a2: 0, b0: 0, b1: 0, b2: 0.5 };
    const srcWindow = { x: 1, y: 0, width: 4, height: 3 };
    const out = new Float32Array(4);
    resampleBilinear(RAMP, srcWindow, 1, mapping, { dx: 0, dy: 0 }, { x: 3, y: 1, width: 4, height: 1 }, out);
    // Before (3..6, 1) -> after x 1.75, 2.25, 2.75, 3.25, y 0.75; src-local fx = u - 1.5, fy = 0.25.
    expect(Array.from(out)).toEqual([0.25 + 2.5, 0.75 + 2.5, 1.25 + 2.5, 1.75 + 2.5]);
  });

  it("interpolates every band and propagates NaN only to pixels that read it", () => {
    const src = Float32Array.from([1, 100, 2, 200, 3, 300, NaN, 400]); // 2 x 2, 2 bands
    const out = new Float32Array(2 * 2 * 2);
    resampleBilinear(
      src,
      { x: 0, y: 0, width: 2, height: 2 },
      2,
      IDENTITY,
      { dx: 0.5, dy: 0 },
      { x: 0, y: 0, width: 2, height: 2 },
      out,
    );
    expect(Array.from(out)).toEqual([1.5, 150, NaN, NaN, NaN, 350, NaN, NaN]);
  });
});

describe("afterWindowFor", () => {
  it("covers the mapped window plus the shift and a margin", () => {
    expect(afterWindowFor(IDENTITY, { x: 10, y: 20, width: 5, height: 5 }, { dx: 0, dy: 0 })).toEqual({
      x: 8,
      y: 18,
      width: 9,
      height: 9,
    });
    const mapping = { a0: -5, a1: 0.5, a2: 0, b0: -5, b1: 0, b2: 0.5 };
    expect(
      afterWindowFor(mapping, { x: 10, y: 10, width: 20, height: 10 }, { dx: 0.3, dy: -1.2 }, 1),
    ).toEqual({
      x: -1,
      y: -3,
      width: 13,
      height: 8,
    });
  });
});

describe("readAligned", () => {
  it("reads a twice-coarser after image onto the before grid", async () => {
    // After: 4 x 3 ramp, 2 bands (second = first * 2); before pixels are half the size.
    const pixels = new Float32Array(24);
    RAMP.forEach((v, i) => {
      pixels[2 * i] = v;
      pixels[2 * i + 1] = 2 * v;
    });
    const after = new MemorySource(
      {
        path: "after.tif",
        format: "geotiff",
        width: 4,
        height: 3,
        bands: 2,
        sampleType: "float32",
        nodata: null,
        epsg: null,
        transform: null,
        acquiredAt: null,
      },
      pixels,
    );
    const geometry = {
      overlap: { x: 0, y: 0, width: 8, height: 6 },
      mapping: { a0: 0, a1: 0.5, a2: 0, b0: 0, b1: 0, b2: 0.5 },
      reprojected: false,
      fitErrorPx: 0,
      gsdM: null,
    };
    const out = await readAligned(after, geometry, { dx: 0, dy: 0 }, { x: 1, y: 1, width: 2, height: 1 });
    // Before (1, 1) and (2, 1) -> after (0.75, 0.75), (1.25, 0.75): ramp 0.25 + 2.5 and 0.75 + 2.5.
    expect(Array.from(out)).toEqual([2.75, 5.5, 3.25, 6.5]);
  });
});
