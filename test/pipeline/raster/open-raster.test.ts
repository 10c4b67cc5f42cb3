import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../pipeline/errors.js";
import {
  encodeGeoTiff,
  writeGeoTiff,
  type GeoTiffWriteOptions,
} from "../../../pipeline/raster/geotiff-writer.js";
import { openRaster } from "../../../pipeline/raster/open-raster.js";
import { parseTiffDateTime } from "../../../pipeline/raster/geotiff-source.js";
import type { SampleType } from "../../../pipeline/raster/types.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "changewatch-raster-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Sample value of (col, row, band) in every fixture: distinct per pixel and band. */
function value(col: number, row: number, band: number, type: SampleType): number {
  const v = row * 37 + col * 3 + band * 11;
  if (type === "uint8") return v % 251;
  if (type === "int16") return v * 7 - 3000;
  if (type === "float32") return v * 0.25 - 10.5;
  return v * 13;
}

function fixture(width: number, height: number, bands: number, type: SampleType): number[] {
  const data: number[] = [];
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      for (let b = 0; b < bands; b++) data.push(value(col, row, b, type));
    }
  }
  return data;
}

async function expectInputError(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).code).toBe(code);
  expect((err as InputError).message).toBe(message);
}

describe("openRaster: GeoTIFF layouts", () => {
  const W = 45;
  const H = 37;
  const layouts: Array<
    [string, Partial<GeoTiffWriteOptions> & { sampleType: GeoTiffWriteOptions["sampleType"]; bands: number }]
  > = [
    ["uint8 strips, none, 1 band", { sampleType: "uint8", bands: 1 }],
    [
      "uint8 3 bands tiles, deflate",
      { sampleType: "uint8", bands: 3, tileSizePx: 16, compression: "deflate" },
    ],
    [
      "uint16 strips lzw predictor 2",
      { sampleType: "uint16", bands: 2, compression: "lzw", predictor: 2, rowsPerStrip: 5 },
    ],
    [
      "uint16 13 bands planar tiles deflate",
      { sampleType: "uint16", bands: 13, planarConfig: 2, tileSizePx: 32, compression: "deflate" },
    ],
    [
      "int16 planar strips lzw",
      { sampleType: "int16", bands: 4, planarConfig: 2, compression: "lzw", rowsPerStrip: 7 },
    ],
    [
      "float32 tiles deflate predictor 3",
      { sampleType: "float32", bands: 2, tileSizePx: 16, compression: "deflate", predictor: 3 },
    ],
    ["float32 strips none", { sampleType: "float32", bands: 1 }],
  ];
  for (const [name, opts] of layouts) {
    it(`reads ${name} exactly, with NaN outside the image`, async () => {
      const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.tif`);
      await writeGeoTiff(path, fixture(W, H, opts.bands, opts.sampleType), { width: W, height: H, ...opts });
      const src = await openRaster(path);
      expect(src.info).toMatchObject({
        format: "geotiff",
        width: W,
        height: H,
        bands: opts.bands,
        sampleType: opts.sampleType,
      });
      // A window crossing the right and bottom edges.
      const win = { x: 40, y: 30, width: 8, height: 9 };
      const px = await src.readWindow(win);
      expect(px.length).toBe(8 * 9 * opts.bands);
      for (let r = 0; r < win.height; r++) {
        for (let c = 0; c < win.width; c++) {
          for (let b = 0; b < opts.bands; b++) {
            const got = px[(r * win.width + c) * opts.bands + b];
            const col = win.x + c;
            const row = win.y + r;
            if (col >= W || row >= H) expect(got).toBeNaN();
            else expect(got).toBe(Math.fround(value(col, row, b, opts.sampleType)));
          }
        }
      }
      await src.close();
    });
  }

  it("reads a window left of and above the image as NaN where outside", async () => {
    const path = join(dir, "edge.tif");
    await writeGeoTiff(path, fixture(20, 20, 1, "uint8"), {
      width: 20,
      height: 20,
      bands: 1,
      sampleType: "uint8",
    });
    const src = await openRaster(path);
    const px = await src.readWindow({ x: -2, y: -1, width: 4, height: 2 });
    expect(Array.from(px)).toEqual([
      NaN,
      NaN,
      NaN,
      NaN,
      NaN,
      NaN,
      value(0, 0, 0, "uint8"),
      value(1, 0, 0, "uint8"),
    ]);
    const outside = await src.readWindow({ x: 30, y: 0, width: 2, height: 1 });
    expect(Array.from(outside)).toEqual([NaN, NaN]);
    await src.close();
  });

  it("reads geo-reference, nodata and acquisition time from the header; nodata and NaN read as NaN", async () => {
    const path = join(dir, "geo.tif");
    const data = [0, 5, 7, -9999, NaN, 3];
    await writeGeoTiff(path, Float32Array.from(data), {
      width: 3,
      height: 2,
      bands: 1,
      sampleType: "float32",
      epsg: 32634,
      transform: { originX: 699960, originY: 3600000, pixelWidth: 10, pixelHeight: -10 },
      nodata: -9999,
      dateTime: "2024:05:17 10:42:03",
    });
    const src = await openRaster(path);
    expect(src.info).toEqual({
      path,
      format: "geotiff",
      width: 3,
      height: 2,
      bands: 1,
      sampleType: "float32",
      nodata: -9999,
      epsg: 32634,
      transform: { originX: 699960, originY: 3600000, pixelWidth: 10, pixelHeight: -10 },
      acquiredAt: "2024-05-17T10:42:03Z",
    });
    expect(Array.from(await src.readWindow({ x: 0, y: 0, width: 3, height: 2 }))).toEqual([
      0,
      5,
      7,
      NaN,
      NaN,
      3,
    ]);
    await src.close();
  });

  it("reads EPSG:4326 from the geographic key and uint8 nodata 0 as NaN", async () => {
    const path = join(dir, "geo4326.tif");
    await writeGeoTiff(path, [0, 1, 2, 0], {
      width: 2,
      height: 2,
      bands: 1,
      sampleType: "uint8",
      epsg: 4326,
      transform: { originX: 2.35, originY: 48.87, pixelWidth: 0.0001, pixelHeight: -0.0001 },
      nodata: 0,
    });
    const src = await openRaster(path);
    expect(src.info.epsg).toBe(4326);
    expect(src.info.nodata).toBe(0);
    expect(src.info.acquiredAt).toBeNull();
    expect(Array.from(await src.readWindow({ x: 0, y: 0, width: 2, height: 2 }))).toEqual([NaN, 1, 2, NaN]);
    await src.close();
  });

  it("reports no geo-reference for a plain TIFF", async () => {
    const path = join(dir, "plain.tif");
    await writeGeoTiff(path, [1, 2, 3, 4], { width: 2, height: 2, bands: 1, sampleType: "uint8" });
    const src = await openRaster(path);
    expect(src.info.epsg).toBeNull();
    expect(src.info.transform).toBeNull();
    await src.close();
  });

  it("parses TIFF DateTime strings", () => {
    expect(parseTiffDateTime("2017:08:29 10:50:19")).toBe("2017-08-29T10:50:19Z");
    expect(parseTiffDateTime("yesterday")).toBeNull();
    expect(parseTiffDateTime("2017:13:45 10:50:19")).toBeNull();
  });
});

describe("openRaster: PNG and JPEG", () => {
  it("reads an RGBA PNG as 3 bands, dropping alpha, with repeated windows from one decode", async () => {
    const path = join(dir, "rgba.png");
    const raw = Buffer.alloc(5 * 4 * 4);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7) % 256;
    await sharp(raw, { raw: { width: 5, height: 4, channels: 4 } })
      .png()
      .toFile(path);
    const src = await openRaster(path);
    expect(src.info).toEqual({
      path,
      format: "png",
      width: 5,
      height: 4,
      bands: 3,
      sampleType: "uint8",
      nodata: null,
      epsg: null,
      transform: null,
      acquiredAt: null,
    });
    const px = await src.readWindow({ x: 3, y: 2, width: 3, height: 1 });
    const at = (col: number, row: number, b: number): number => raw[(row * 5 + col) * 4 + b];
    expect(Array.from(px)).toEqual([
      at(3, 2, 0),
      at(3, 2, 1),
      at(3, 2, 2),
      at(4, 2, 0),
      at(4, 2, 1),
      at(4, 2, 2),
      NaN,
      NaN,
      NaN,
    ]);
    const again = await src.readWindow({ x: 0, y: 0, width: 1, height: 1 });
    expect(Array.from(again)).toEqual([at(0, 0, 0), at(0, 0, 1), at(0, 0, 2)]);
    await src.close();
  });

  it("keeps a 16-bit grey PNG 16-bit and one band", async () => {
    const path = join(dir, "grey16.png");
    const v = new Uint16Array(12).map((_, i) => i * 5000 + 7);
    await sharp(v, { raw: { width: 4, height: 3, channels: 1 } })
      .toColourspace("grey16")
      .png()
      .toFile(path);
    const src = await openRaster(path);
    expect(src.info).toMatchObject({ bands: 1, sampleType: "uint16" });
    expect(Array.from(await src.readWindow({ x: 0, y: 0, width: 4, height: 3 }))).toEqual(Array.from(v));
    await src.close();
  });

  it("keeps a 16-bit RGB PNG 16-bit", async () => {
    const path = join(dir, "rgb16.png");
    const v = new Uint16Array(2 * 2 * 3).map((_, i) => i * 4000 + 1);
    await sharp(v, { raw: { width: 2, height: 2, channels: 3 } })
      .toColourspace("rgb16")
      .png()
      .toFile(path);
    const src = await openRaster(path);
    expect(src.info).toMatchObject({ bands: 3, sampleType: "uint16" });
    expect(Array.from(await src.readWindow({ x: 0, y: 0, width: 2, height: 2 }))).toEqual(Array.from(v));
    await src.close();
  });

  it("expands a palette PNG to RGB and reads an 8-bit grey PNG as one band", async () => {
    const palPath = join(dir, "palette.png");
    const rgb = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
    await sharp(rgb, { raw: { width: 2, height: 2, channels: 3 } })
      .png({ palette: true, colours: 4, dither: 0 })
      .toFile(palPath);
    const pal = await openRaster(palPath);
    expect(pal.info.bands).toBe(3);
    expect(Array.from(await pal.readWindow({ x: 0, y: 0, width: 2, height: 2 }))).toEqual(Array.from(rgb));
    const greyPath = join(dir, "grey8.png");
    await sharp(Buffer.from([1, 2, 3, 4]), { raw: { width: 2, height: 2, channels: 1 } })
      .toColourspace("b-w")
      .png()
      .toFile(greyPath);
    const grey = await openRaster(greyPath);
    expect(grey.info).toMatchObject({ bands: 1, sampleType: "uint8" });
    expect(Array.from(await grey.readWindow({ x: 0, y: 0, width: 2, height: 2 }))).toEqual([1, 2, 3, 4]);
  });

  it("reads a JPEG (within its lossy tolerance of 3 levels)", async () => {
    const path = join(dir, "flat.jpg");
    const raw = Buffer.alloc(16 * 16 * 3, 0).map((_, i) => [200, 100, 50][i % 3]);
    await sharp(raw, { raw: { width: 16, height: 16, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(path);
    const src = await openRaster(path);
    expect(src.info).toMatchObject({ format: "jpeg", bands: 3, sampleType: "uint8" });
    const px = await src.readWindow({ x: 8, y: 8, width: 1, height: 1 });
    expect(Math.abs(px[0] - 200)).toBeLessThanOrEqual(3);
    expect(Math.abs(px[1] - 100)).toBeLessThanOrEqual(3);
    expect(Math.abs(px[2] - 50)).toBeLessThanOrEqual(3);
  });

  it("decides the format by content, not by extension", async () => {
    const path = join(dir, "really-a-png.tif");
    await sharp(Buffer.from([9, 8, 7, 6]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toFile(path);
    const src = await openRaster(path);
    expect(src.info.format).toBe("png");
  });
});

describe("openRaster: bad input", () => {
  it("missing file", async () => {
    const path = join(dir, "nope.tif");
    await expectInputError(openRaster(path), "E_INPUT_MISSING", `${path}: file not found`);
  });

  it("a directory", async () => {
    const path = join(dir, "a-dir.tif");
    await mkdir(path);
    await expectInputError(
      openRaster(path),
      "E_INPUT_UNREADABLE",
      `${path}: is a directory, not an image file`,
    );
  });

  it("an unreadable file", async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const path = join(dir, "secret.tif");
    await writeFile(path, "x");
    await chmod(path, 0o000);
    await expectInputError(
      openRaster(path),
      "E_INPUT_UNREADABLE",
      `${path}: cannot be read (permission denied)`,
    );
  });

  it("not an image", async () => {
    const path = join(dir, "notes.tif");
    await writeFile(path, "just some text, not pixels");
    await expectInputError(openRaster(path), "E_INPUT_FORMAT", `${path}: not a GeoTIFF, PNG or JPEG image`);
  });

  it("an empty file", async () => {
    const path = join(dir, "empty.png");
    await writeFile(path, "");
    await expectInputError(
      openRaster(path),
      "E_INPUT_FORMAT",
      `${path}: not a GeoTIFF, PNG or JPEG image (empty file)`,
    );
  });

  it("a truncated TIFF is refused at open", async () => {
    const path = join(dir, "cut.tif");
    const bytes = encodeGeoTiff(fixture(64, 64, 1, "uint16"), {
      width: 64,
      height: 64,
      bands: 1,
      sampleType: "uint16",
    });
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expectInputError(
      openRaster(path),
      "E_INPUT_TRUNCATED",
      `${path}: file is truncated: image data ends at byte ${bytes.length} but the file has ${bytes.length - 100} bytes`,
    );
  });

  it("a corrupt tile found while reading is an InputError naming the file", async () => {
    const path = join(dir, "corrupt.tif");
    const bytes = encodeGeoTiff(fixture(32, 32, 1, "uint8"), {
      width: 32,
      height: 32,
      bands: 1,
      sampleType: "uint8",
      compression: "deflate",
      tileSizePx: 16,
    });
    // Overwrite the last tile's compressed stream with garbage.
    bytes.fill(0xff, bytes.length - 20);
    await writeFile(path, bytes);
    const src = await openRaster(path);
    const err = await src.readWindow({ x: 0, y: 0, width: 32, height: 32 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(["E_INPUT_UNREADABLE", "E_INPUT_TRUNCATED"]).toContain((err as InputError).code);
    expect((err as InputError).message.startsWith(`${path}: `)).toBe(true);
  });

  it("a truncated PNG", async () => {
    const path = join(dir, "cut.png");
    const png = await sharp(Buffer.alloc(32 * 32 * 3, 90), { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toBuffer();
    await writeFile(path, png.subarray(0, png.length - 30));
    await expectInputError(
      openRaster(path),
      "E_INPUT_TRUNCATED",
      `${path}: file is truncated: the PNG has no IEND chunk`,
    );
  });

  it("too many pixels and too many bands", async () => {
    const path = join(dir, "big.tif");
    await writeGeoTiff(path, fixture(40, 30, 3, "uint8"), {
      width: 40,
      height: 30,
      bands: 3,
      sampleType: "uint8",
    });
    await expectInputError(
      openRaster(path, { maxPixels: 1000 }),
      "E_INPUT_TOO_LARGE",
      `${path}: image is 40 x 30 = 1200 pixels, more than the limit of 1000`,
    );
    await expectInputError(
      openRaster(path, { maxBands: 2 }),
      "E_INPUT_TOO_LARGE",
      `${path}: image has 3 bands, more than the limit of 2`,
    );
    const png = join(dir, "big.png");
    await sharp(Buffer.alloc(40 * 30 * 3), { raw: { width: 40, height: 30, channels: 3 } })
      .png()
      .toFile(png);
    await expectInputError(
      openRaster(png, { maxPixels: 1000 }),
      "E_INPUT_TOO_LARGE",
      `${png}: image is 40 x 30 = 1200 pixels, more than the limit of 1000`,
    );
  });

  it("an unsupported sample format", async () => {
    const path = join(dir, "half.tif");
    const bytes = encodeGeoTiff([1, 2, 3, 4], { width: 2, height: 2, bands: 1, sampleType: "uint16" });
    setShortTag(bytes, 339, 3); // SampleFormat = IEEE float, with 16 bits: float16
    await writeFile(path, bytes);
    await expectInputError(
      openRaster(path),
      "E_INPUT_FORMAT",
      `${path}: unsupported sample format: 16-bit floating point (supported: uint8, uint16, int16, uint32, int32, float32, float64)`,
    );
  });
});

/** Sets the inline SHORT value of a tag in the first IFD of a little-endian TIFF. */
function setShortTag(bytes: Buffer, tag: number, value: number): void {
  const ifd = bytes.readUInt32LE(4);
  const n = bytes.readUInt16LE(ifd);
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12;
    if (bytes.readUInt16LE(at) === tag) {
      bytes.writeUInt16LE(value, at + 8);
      return;
    }
  }
  throw new Error(`tag ${tag} not found`);
}
