import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromFile } from "geotiff";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGeoTiff, type GeoTiffWriteOptions } from "../../../pipeline/raster/geotiff-writer.js";
import { GeoTiffSource } from "../../../pipeline/raster/geotiff-source.js";
import type { PixelWindow } from "../../../pipeline/raster/types.js";
import { intersectWindow } from "../../../pipeline/raster/window.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "changewatch-tiff-blocks-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pseudo-random samples covering each type's range, with runs of the nodata value 0. */
function samples(n: number, type: GeoTiffWriteOptions["sampleType"]): number[] {
  const out: number[] = [];
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = s / 4294967296;
    const v = i % 97 < 3 ? 0 : u;
    if (type === "uint8") out.push(Math.floor(v * 256));
    else if (type === "uint16") out.push(Math.floor(v * 65536));
    else if (type === "int16") out.push(v === 0 ? 0 : Math.floor(v * 65536) - 32768);
    else out.push(v === 0 ? 0 : (v - 0.5) * 1e4);
  }
  return out;
}

/** What geotiff.js itself decodes for the window, NaN outside the image and for nodata. */
async function reference(
  path: string,
  window: PixelWindow,
  bands: number,
  nodata: number,
): Promise<Float32Array> {
  const tiff = await fromFile(path);
  try {
    const image = await tiff.getImage(0);
    const out = new Float32Array(window.width * window.height * bands).fill(NaN);
    const inner = intersectWindow(window, image.getWidth(), image.getHeight());
    if (inner === null) return out;
    const block = (await image.readRasters({
      window: [inner.x, inner.y, inner.x + inner.width, inner.y + inner.height],
      interleave: true,
    })) as unknown as ArrayLike<number>;
    for (let r = 0; r < inner.height; r++) {
      for (let c = 0; c < inner.width * bands; c++) {
        const v = block[r * inner.width * bands + c];
        out[((inner.y - window.y + r) * window.width + inner.x - window.x) * bands + c] =
          v === nodata ? NaN : v;
      }
    }
    return out;
  } finally {
    await tiff.close();
  }
}

const layouts: Array<Partial<GeoTiffWriteOptions>> = [
  { compression: "none" },
  { compression: "none", rowsPerStrip: 7 },
  { compression: "deflate", rowsPerStrip: 5 },
  { compression: "deflate", predictor: 2, rowsPerStrip: 4 },
  { compression: "none", tileSizePx: 16 },
  { compression: "deflate", tileSizePx: 16 },
  { compression: "deflate", predictor: 2, tileSizePx: 32 },
];

const windows: PixelWindow[] = [
  { x: 0, y: 0, width: 45, height: 37 },
  { x: 3, y: 5, width: 20, height: 17 },
  { x: 30, y: 30, width: 16, height: 9 },
  { x: -4, y: -3, width: 12, height: 50 },
  { x: 40, y: 20, width: 30, height: 30 },
];

describe("GeoTiffSource fast block path", () => {
  for (const sampleType of ["uint8", "uint16", "int16", "float32"] as const) {
    for (const layout of layouts) {
      if (layout.predictor === 2 && sampleType === "float32") continue;
      it(`decodes ${sampleType} ${JSON.stringify(layout)} exactly as geotiff.js`, async () => {
        const width = 45;
        const height = 37;
        const bands = 3;
        const path = join(dir, `${sampleType}-${JSON.stringify(layout).replace(/\W/g, "")}.tif`);
        await writeGeoTiff(path, samples(width * height * bands, sampleType), {
          width,
          height,
          bands,
          sampleType,
          nodata: 0,
          ...layout,
        });
        const source = await GeoTiffSource.open(path);
        try {
          expect((source as unknown as { blocks: unknown }).blocks).not.toBeNull();
          for (const window of windows) {
            expect(await source.readWindow(window)).toEqual(await reference(path, window, bands, 0));
          }
        } finally {
          await source.close();
        }
      });
    }
  }

  it("leaves planar files to geotiff.js and still reads them", async () => {
    const path = join(dir, "planar.tif");
    await writeGeoTiff(path, samples(20 * 10 * 2, "uint16"), {
      width: 20,
      height: 10,
      bands: 2,
      sampleType: "uint16",
      planarConfig: 2,
      compression: "lzw",
    });
    const source = await GeoTiffSource.open(path);
    try {
      expect((source as unknown as { blocks: unknown }).blocks).toBeNull();
      const window = { x: 0, y: 0, width: 20, height: 10 };
      expect(await source.readWindow(window)).toEqual(await reference(path, window, 2, NaN));
    } finally {
      await source.close();
    }
  });
});
