import proj4 from "proj4";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../pipeline/errors.js";
import { projDefinition } from "../../../pipeline/align/crs.js";
import { mapPoint, pairGeometry } from "../../../pipeline/align/grid.js";
import type { GeoTransform, RasterInfo } from "../../../pipeline/raster/types.js";

function info(
  path: string,
  width: number,
  height: number,
  epsg: number | null,
  transform: GeoTransform | null,
): RasterInfo {
  return {
    path,
    format: transform === null ? "png" : "geotiff",
    width,
    height,
    bands: 1,
    sampleType: "uint8",
    nodata: null,
    epsg,
    transform,
    acquiredAt: null,
  };
}

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

describe("pairGeometry, same CRS", () => {
  it("maps an after image with twice the pixel size and an offset origin exactly", () => {
    // before covers x 1000..2000, y 1200..2000; after covers x 1100..2300, y 900..1900.
    const before = info("before.tif", 100, 80, 32631, {
      originX: 1000,
      originY: 2000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const after = info("after.tif", 60, 50, 32631, {
      originX: 1100,
      originY: 1900,
      pixelWidth: 20,
      pixelHeight: -20,
    });
    const g = pairGeometry(before, after);
    expect(g).toEqual({
      overlap: { x: 10, y: 10, width: 90, height: 70 },
      mapping: { a0: -5, a1: 0.5, a2: 0, b0: -5, b1: 0, b2: 0.5 },
      reprojected: false,
      fitErrorPx: 0,
      gsdM: 10,
    });
    // Before pixel corner (10, 10) is world (1100, 1900): after's origin.
    expect(mapPoint(g.mapping, 10, 10)).toEqual([0, 0]);
  });

  it("keeps the whole before image when after covers it with a finer grid", () => {
    const before = info("b.tif", 50, 40, 32631, {
      originX: 0,
      originY: 400,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const after = info("a.tif", 200, 200, 32631, {
      originX: -100,
      originY: 500,
      pixelWidth: 5,
      pixelHeight: -5,
    });
    const g = pairGeometry(before, after);
    expect(g.overlap).toEqual({ x: 0, y: 0, width: 50, height: 40 });
    expect(g.mapping).toEqual({ a0: 20, a1: 2, a2: 0, b0: 20, b1: 0, b2: 2 });
  });

  it("converts EPSG:4326 pixel sizes to metres at the scene latitude", () => {
    const before = info("b.tif", 360, 395, 4326, {
      originX: 2.35931396484,
      originY: 48.8666344599,
      pixelWidth: 0.00011634826661111042,
      pixelHeight: -0.00011640520379745783,
    });
    const g = pairGeometry(before, before);
    // 0.000116 deg is about 8.5 m east-west and 12.9 m north-south at 48.85 N.
    expect(g.gsdM).toBeCloseTo(
      Math.sqrt(
        0.00011634826661111042 *
          111320 *
          Math.cos((48.8437 * Math.PI) / 180) *
          0.00011640520379745783 *
          111132,
      ),
      3,
    );
    expect(g.gsdM).toBeGreaterThan(10);
    expect(g.gsdM).toBeLessThan(11);
  });

  it("refuses a pair that does not overlap, naming both files and their extents", () => {
    const before = info("before.tif", 100, 100, 32631, {
      originX: 0,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const after = info("after.tif", 100, 100, 32631, {
      originX: 5000,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const err = thrown(() => pairGeometry(before, after));
    expect(err.code).toBe("E_NO_OVERLAP");
    expect(err.message).toBe(
      "before.tif: does not overlap after.tif: before covers x 0..1000, y 0..1000 (EPSG:32631), after covers x 5000..6000, y 0..1000 (EPSG:32631)",
    );
  });

  it("treats an overlap under 16 px a side as none", () => {
    const before = info("before.tif", 100, 100, 32631, {
      originX: 0,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const after = info("after.tif", 100, 100, 32631, {
      originX: 900,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const err = thrown(() => pairGeometry(before, after));
    expect(err.code).toBe("E_NO_OVERLAP");
    expect(err.message).toBe(
      "before.tif: does not overlap after.tif (the common part is 10 x 100 before pixels, less than 16 a side): before covers x 0..1000, y 0..1000 (EPSG:32631), after covers x 900..1900, y 0..1000 (EPSG:32631)",
    );
  });
});

describe("pairGeometry, different CRSs", () => {
  it("maps a UTM before image onto an EPSG:4326 after image within 0.5 px", () => {
    const tb = { originX: 448000, originY: 5414000, pixelWidth: 10, pixelHeight: -10 };
    const before = info("before.tif", 500, 500, 32631, tb);
    const utmToLonLat = proj4(projDefinition(32631) as string, projDefinition(4326) as string);
    const corners = [
      [448000, 5414000],
      [453000, 5414000],
      [448000, 5409000],
      [453000, 5409000],
    ].map((c) => utmToLonLat.forward(c));
    const lonMin = Math.min(...corners.map((c) => c[0])) - 0.01;
    const latMax = Math.max(...corners.map((c) => c[1])) + 0.01;
    const ta = { originX: lonMin, originY: latMax, pixelWidth: 0.0001, pixelHeight: -0.0001 };
    const after = info("after.tif", 1000, 800, 4326, ta);
    const g = pairGeometry(before, after);
    expect(g.reprojected).toBe(true);
    expect(g.overlap).toEqual({ x: 0, y: 0, width: 500, height: 500 });
    expect(g.fitErrorPx).toBeLessThan(0.5);
    expect(g.gsdM).toBe(10);
    for (const [x, y] of [
      [250.5, 250.5],
      [3.5, 490.5],
    ]) {
      const [lon, lat] = utmToLonLat.forward([tb.originX + x * 10, tb.originY - y * 10]);
      const exact = [(lon - ta.originX) / ta.pixelWidth, (lat - ta.originY) / ta.pixelHeight];
      const [u, v] = mapPoint(g.mapping, x, y);
      expect(Math.hypot(u - exact[0], v - exact[1])).toBeLessThan(0.5);
    }
  });

  it("refuses to reproject from an unknown EPSG code", () => {
    const before = info("before.tif", 100, 100, 2154, {
      originX: 0,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const after = info("after.tif", 100, 100, 4326, {
      originX: 2,
      originY: 49,
      pixelWidth: 0.001,
      pixelHeight: -0.001,
    });
    const err = thrown(() => pairGeometry(before, after));
    expect(err.code).toBe("E_INPUT_FORMAT");
    expect(err.message).toBe(
      "before.tif: cannot reproject from EPSG:2154 to match after.tif; supported: EPSG:4326, EPSG:3857, EPSG:32601-32660, EPSG:32701-32760",
    );
  });
});

describe("pairGeometry, pixel space", () => {
  it("maps a resized after image by scaling over the whole before image", () => {
    const g = pairGeometry(info("b.png", 100, 80, null, null), info("a.png", 200, 120, null, null));
    expect(g).toEqual({
      overlap: { x: 0, y: 0, width: 100, height: 80 },
      mapping: { a0: 0, a1: 2, a2: 0, b0: 0, b1: 0, b2: 1.5 },
      reprojected: false,
      fitErrorPx: 0,
      gsdM: null,
    });
  });

  it("refuses a pair where only one image is geo-referenced", () => {
    const geo = info("before.tif", 100, 100, 32631, {
      originX: 0,
      originY: 1000,
      pixelWidth: 10,
      pixelHeight: -10,
    });
    const err = thrown(() => pairGeometry(geo, info("after.png", 100, 100, null, null)));
    expect(err.code).toBe("E_INPUT_FORMAT");
    expect(err.message).toBe(
      "after.png: has no geo-reference but before.tif has one; give both images a geo-reference or neither",
    );
  });

  it("refuses images too small to compare", () => {
    const err = thrown(() =>
      pairGeometry(info("b.png", 10, 80, null, null), info("a.png", 10, 80, null, null)),
    );
    expect(err.code).toBe("E_NO_OVERLAP");
    expect(err.message).toBe(
      "b.png: does not overlap a.png (the common part is 10 x 80 before pixels, less than 16 a side): before covers 10 x 80 pixels (no geo-reference), after covers 10 x 80 pixels (no geo-reference)",
    );
  });
});
