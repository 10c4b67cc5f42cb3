import { mulberry32 } from "../../../pipeline/core/random.js";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { fromFile } from "geotiff";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  encodeGeoTiff,
  writeGeoTiff,
  type GeoTiffWriteOptions,
  type WritableSampleType,
} from "../../../pipeline/raster/geotiff-writer.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "geotiff-writer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Samples = Uint8Array | Uint16Array | Int16Array | Float32Array;

/**
 * Half smooth ramps (long LZW strings, small predictor residuals), half noise, plus the
 * type's extreme values so predictor differences wrap.
 */
function makeSamples(
  type: WritableSampleType,
  width: number,
  height: number,
  bands: number,
  seed: number,
): Samples {
  const n = width * height * bands;
  const rand = mulberry32(seed);
  const out =
    type === "uint8"
      ? new Uint8Array(n)
      : type === "uint16"
        ? new Uint16Array(n)
        : type === "int16"
          ? new Int16Array(n)
          : new Float32Array(n);
  const [lo, hi] =
    type === "uint8"
      ? [0, 255]
      : type === "uint16"
        ? [0, 65535]
        : type === "int16"
          ? [-32768, 32767]
          : [-1e6, 1e6];
  for (let i = 0; i < n; i++) {
    const pixel = Math.floor(i / bands);
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    const v = x < width / 2 ? lo + ((x * 7 + y * 3 + (i % bands) * 11) % 97) : lo + rand() * (hi - lo);
    out[i] = type === "float32" ? v : Math.floor(v);
  }
  out[0] = lo;
  out[1] = hi;
  out[n - 1] = hi;
  if (type === "float32") {
    out[2] = NaN;
    out[3] = -0;
    out[4] = Infinity;
    out[5] = 1.5e-40; // subnormal
  }
  return out;
}

/** Bit-exact comparison (NaN and -0 included) without a per-element expect. */
function expectSameSamples(actual: ArrayLike<number> & { buffer: ArrayBufferLike }, expected: Samples): void {
  expect(actual.constructor.name).toBe(expected.constructor.name);
  const a = new Uint8Array(actual.buffer, (actual as Samples).byteOffset, (actual as Samples).byteLength);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  expect(a.length).toBe(e.length);
  const firstDiff = a.findIndex((v, i) => v !== e[i]);
  expect(firstDiff).toBe(-1);
}

const transform = { originX: 725_432.5, originY: 4_585_310, pixelWidth: 0.5, pixelHeight: -0.5 };

async function roundTrip(data: Samples, options: GeoTiffWriteOptions, name: string) {
  const path = join(dir, `${name}.tif`);
  await writeGeoTiff(path, data, options);
  const tiff = await fromFile(path);
  const image = await tiff.getImage();
  const raster = await image.readRasters({ interleave: true });
  return { path, tiff, image, raster };
}

describe("encodeGeoTiff round trip through geotiff.js", () => {
  const types: WritableSampleType[] = ["uint8", "uint16", "int16", "float32"];
  const compressions = ["none", "deflate", "lzw"] as const;
  const bandCounts = [1, 3, 4, 13];
  const cases: {
    type: WritableSampleType;
    compression: (typeof compressions)[number];
    tiled: boolean;
    predictor: 1 | 2 | 3;
  }[] = [];
  for (const type of types) {
    for (const compression of compressions) {
      for (const tiled of [false, true]) {
        const predictors =
          compression === "none"
            ? ([1] as const)
            : type === "float32"
              ? ([1, 3] as const)
              : ([1, 2] as const);
        for (const predictor of predictors) {
          cases.push({ type, compression, tiled, predictor });
        }
      }
    }
  }

  it.each(cases)("$type $compression tiled=$tiled predictor=$predictor, 1/3/4/13 bands", async (c) => {
    // 37x21 with 16 px tiles leaves partial tiles on the right and bottom edges;
    // 5 rows per strip leaves a short last strip.
    const width = 37;
    const height = 21;
    for (const bands of bandCounts) {
      const data = makeSamples(c.type, width, height, bands, bands * 101 + c.predictor);
      const options: GeoTiffWriteOptions = {
        width,
        height,
        bands,
        sampleType: c.type,
        compression: c.compression,
        predictor: c.predictor,
        ...(c.tiled ? { tileSizePx: 16 } : { rowsPerStrip: 5 }),
        epsg: 32652,
        transform,
        nodata: c.type === "float32" ? -9999.5 : 0,
        dateTime: "2024:05:10 02:31:07",
      };
      const name = `${c.type}-${c.compression}-${c.tiled ? "t" : "s"}-p${c.predictor}-b${bands}`;
      const { image, raster } = await roundTrip(data, options, name);
      expect(image.getWidth()).toBe(width);
      expect(image.getHeight()).toBe(height);
      expect(image.getSamplesPerPixel()).toBe(bands);
      expect(image.isTiled).toBe(c.tiled);
      expectSameSamples(raster as unknown as Samples, data);
      expect(image.getGeoKeys()).toEqual({
        GTModelTypeGeoKey: 1,
        GTRasterTypeGeoKey: 1,
        ProjectedCSTypeGeoKey: 32652,
      });
      expect(image.getOrigin()).toEqual([725_432.5, 4_585_310, 0]);
      expect(image.getResolution()).toEqual([0.5, -0.5, 0]);
      expect(image.getGDALNoData()).toBe(c.type === "float32" ? -9999.5 : 0);
      expect(await image.fileDirectory.loadValue("DateTime")).toBe("2024:05:10 02:31:07\0");
      const expectedPhotometric = c.type === "uint8" && bands >= 3 ? 2 : 1;
      expect(image.fileDirectory.getValue("PhotometricInterpretation")).toBe(expectedPhotometric);
      const extra = bands - (expectedPhotometric === 2 ? 3 : 1);
      if (extra > 0)
        expect(Array.from(image.fileDirectory.getValue("ExtraSamples") as ArrayLike<number>)).toHaveLength(
          extra,
        );
    }
  });

  it.each([
    { type: "uint16" as const, compression: "deflate" as const, tiled: true, predictor: 2 as const },
    { type: "uint8" as const, compression: "lzw" as const, tiled: false, predictor: 2 as const },
    { type: "float32" as const, compression: "lzw" as const, tiled: true, predictor: 3 as const },
    { type: "int16" as const, compression: "none" as const, tiled: false, predictor: 1 as const },
  ])("planar $type $compression tiled=$tiled predictor=$predictor", async (c) => {
    const width = 37;
    const height = 21;
    const bands = 4;
    const data = makeSamples(c.type, width, height, bands, 7);
    const { image, raster } = await roundTrip(
      data,
      {
        width,
        height,
        bands,
        sampleType: c.type,
        compression: c.compression,
        predictor: c.predictor,
        planarConfig: 2,
        ...(c.tiled ? { tileSizePx: 16 } : { rowsPerStrip: 4 }),
      },
      `planar-${c.type}-${c.compression}`,
    );
    expect(image.fileDirectory.getValue("PlanarConfiguration")).toBe(2);
    expectSameSamples(raster as unknown as Samples, data);
  });

  it("writes GeographicTypeGeoKey for EPSG:4326 and NaN nodata", async () => {
    const data = makeSamples("float32", 20, 10, 1, 3);
    const { image } = await roundTrip(
      data,
      {
        width: 20,
        height: 10,
        bands: 1,
        sampleType: "float32",
        epsg: 4326,
        transform: { originX: 128.19, originY: 41.39, pixelWidth: 1e-5, pixelHeight: -1e-5 },
        nodata: NaN,
      },
      "wgs84",
    );
    expect(image.getGeoKeys()).toEqual({
      GTModelTypeGeoKey: 2,
      GTRasterTypeGeoKey: 1,
      GeographicTypeGeoKey: 4326,
    });
    expect(image.getOrigin()).toEqual([128.19, 41.39, 0]);
    expect(image.getResolution()).toEqual([1e-5, -1e-5, 0]);
    expect(image.getGDALNoData()).toBeNaN();
  });

  it("round-trips LZW through table resets (random and constant data)", async () => {
    const width = 300;
    const height = 200;
    const rand = mulberry32(42);
    const noise = new Uint8Array(width * height);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rand() * 256);
    // One strip of 60 000 random bytes forces many Clear codes at 12 bits.
    const a = await roundTrip(
      noise,
      { width, height, bands: 1, sampleType: "uint8", compression: "lzw", rowsPerStrip: height },
      "lzw-noise",
    );
    expectSameSamples(a.raster as unknown as Samples, noise);
    // Constant data builds very long strings and walks the code width up to 12 bits.
    const flat = new Uint16Array(width * height).fill(1234);
    const b = await roundTrip(
      flat,
      { width, height, bands: 1, sampleType: "uint16", compression: "lzw", rowsPerStrip: height },
      "lzw-flat",
    );
    expectSameSamples(b.raster as unknown as Samples, flat);
  });

  it("converts plain number arrays by rounding and clamping to the sample type", async () => {
    const values = [-5, 0.4, 0.6, 254.5, 300, NaN];
    const out = await roundTrip(
      values as unknown as Samples,
      { width: 6, height: 1, bands: 1, sampleType: "uint8" },
      "plain",
    );
    expect(Array.from(out.raster as unknown as Uint8Array)).toEqual([0, 0, 1, 255, 255, 0]);
  });
});

describe("encodeGeoTiff read by libtiff (sharp)", () => {
  it.each(["none", "deflate", "lzw"] as const)(
    "uint8 RGB %s, strips and tiles, predictor 2",
    async (compression) => {
      const width = 301;
      const height = 67;
      const data = makeSamples("uint8", width, height, 3, 11) as Uint8Array;
      for (const layout of [{ rowsPerStrip: 8 }, { tileSizePx: 32 }]) {
        const path = join(dir, `sharp-${compression}-${"tileSizePx" in layout ? "t" : "s"}.tif`);
        await writeGeoTiff(path, data, {
          width,
          height,
          bands: 3,
          sampleType: "uint8",
          compression,
          predictor: compression === "none" ? 1 : 2,
          ...layout,
        });
        const { data: pixels, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height, info.channels]).toEqual([width, height, 3]);
        expect(Buffer.compare(pixels, Buffer.from(data.buffer, data.byteOffset, data.byteLength))).toBe(0);
      }
    },
  );
  it("float32 LZW with the floating-point predictor, strips and tiles", async () => {
    const width = 53;
    const height = 29;
    const data = new Float32Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 1000 + i * 0.001;
    for (const layout of [{ rowsPerStrip: 7 }, { tileSizePx: 16 }]) {
      const path = join(dir, `sharp-float-${"tileSizePx" in layout ? "t" : "s"}.tif`);
      await writeGeoTiff(path, data, {
        width,
        height,
        bands: 1,
        sampleType: "float32",
        compression: "lzw",
        predictor: 3,
        ...layout,
      });
      // extractChannel keeps libvips from converting the single grey band to sRGB.
      const pixels = await sharp(path).extractChannel(0).raw({ depth: "float" }).toBuffer();
      expectSameSamples(new Float32Array(pixels.buffer, pixels.byteOffset, pixels.byteLength / 4), data);
    }
  });
});

describe("encodeGeoTiff validation", () => {
  const base: GeoTiffWriteOptions = { width: 2, height: 2, bands: 1, sampleType: "uint8" };
  const four = new Uint8Array(4);

  it.each([
    [
      { ...base, width: 1.5 },
      "Expected integer between 1 and 4294967295 for width but received 1.5 of type number",
    ],
    [
      { ...base, sampleType: "uint32" },
      'Expected one of "uint8", "uint16", "int16", "float32" for sampleType but received "uint32" of type string',
    ],
    [{ ...base, tileSizePx: 20 }, "Expected multiple of 16 for tileSizePx but received 20 of type number"],
    [{ ...base, tileSizePx: 16, rowsPerStrip: 1 }, "rowsPerStrip cannot be combined with tileSizePx"],
    [{ ...base, predictor: 3 }, "Expected predictor 1 or 2 for sampleType uint8 but received 3"],
    [
      { ...base, sampleType: "float32", predictor: 2 },
      "Expected predictor 1 or 3 for sampleType float32 but received 2",
    ],
    [
      { ...base, photometric: "rgb" },
      'Expected at least 3 bands for photometric "rgb" but received 1 of type number',
    ],
    [
      { ...base, dateTime: "2024-05-10" },
      'Expected "YYYY:MM:DD HH:MM:SS" for dateTime but received "2024-05-10" of type string',
    ],
    [
      { ...base, nodata: Infinity },
      "Expected finite number or NaN for nodata but received Infinity of type number",
    ],
    [{ ...base, tileSize: 16 }, 'Unknown GeoTIFF write option "tileSize"'],
    [
      { ...base, transform: { originX: 0, originY: 0, pixelWidth: 0, pixelHeight: -1 } },
      "Expected finite non-zero number for transform.pixelWidth but received 0 of type number",
    ],
  ])("rejects %o", (options, message) => {
    expect(() => encodeGeoTiff(four, options as GeoTiffWriteOptions)).toThrow(new RangeError(message));
  });

  it("rejects data of the wrong length", () => {
    expect(() => encodeGeoTiff(new Uint8Array(3), base)).toThrow(
      new RangeError("Expected data of length width*height*bands = 4 but received length 3"),
    );
  });

  it("refuses files over 4 GiB before any pixel work", () => {
    const huge = { length: 70_000 * 70_000 } as ArrayLike<number>;
    expect(() =>
      encodeGeoTiff(huge, { width: 70_000, height: 70_000, bands: 1, sampleType: "uint8" }),
    ).toThrow(
      new RangeError(
        "Uncompressed image of 4900000000 bytes exceeds the 4 GiB limit of a classic TIFF; use compression or tile it into several files",
      ),
    );
  });

  it("leaves no temporary file behind", async () => {
    const sub = await mkdtemp(join(dir, "atomic-"));
    await writeGeoTiff(join(sub, "a.tif"), four, base);
    await expect(writeGeoTiff(join(sub, "missing", "b.tif"), four, base)).rejects.toThrow(/ENOENT/);
    expect(await readdir(sub)).toEqual(["a.tif"]);
  });

  it("is deterministic", () => {
    const data = makeSamples("uint16", 37, 21, 4, 5);
    const options: GeoTiffWriteOptions = {
      width: 37,
      height: 21,
      bands: 4,
      sampleType: "uint16",
      compression: "lzw",
      predictor: 2,
    };
    expect(encodeGeoTiff(data, options).equals(encodeGeoTiff(data, options))).toBe(true);
  });
});
