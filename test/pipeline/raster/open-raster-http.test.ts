import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../pipeline/errors.js";
import { encodeGeoTiff } from "../../../pipeline/raster/geotiff-writer.js";
import { openRaster } from "../../../pipeline/raster/open-raster.js";

const W = 300;
const H = 200;
const data = Array.from({ length: W * H }, (_, i) => (i * 7) % 65521);
const tiff = encodeGeoTiff(data, {
  width: W,
  height: H,
  bands: 1,
  sampleType: "uint16",
  tileSizePx: 64,
  compression: "deflate",
  epsg: 32621,
  transform: { originX: 373185, originY: 8286015, pixelWidth: 100, pixelHeight: -100 },
});

let server: Server;
let base: string;
const ranges: string[] = [];

beforeAll(async () => {
  // A minimal static server with HTTP range support, like the object stores COGs live on.
  server = createServer((req, res) => {
    if (req.url !== "/scene.tif") {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (m === null) {
      res.writeHead(200, { "Content-Length": tiff.length }).end(tiff);
      return;
    }
    ranges.push(req.headers.range as string);
    const start = Number(m[1]);
    const end = Math.min(m[2] === "" ? tiff.length - 1 : Number(m[2]), tiff.length - 1);
    res
      .writeHead(206, {
        "Content-Range": `bytes ${start}-${end}/${tiff.length}`,
        "Content-Length": end - start + 1,
        "Accept-Ranges": "bytes",
      })
      .end(tiff.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("openRaster over HTTP", () => {
  it("reads a tiled GeoTIFF window with range requests", async () => {
    const src = await openRaster(`${base}/scene.tif`);
    expect(src.info).toMatchObject({
      format: "geotiff",
      width: W,
      height: H,
      bands: 1,
      sampleType: "uint16",
      epsg: 32621,
    });
    const px = await src.readWindow({ x: 130, y: 70, width: 3, height: 2 });
    const at = (c: number, r: number): number => data[r * W + c];
    expect(Array.from(px)).toEqual([
      at(130, 70),
      at(131, 70),
      at(132, 70),
      at(130, 71),
      at(131, 71),
      at(132, 71),
    ]);
    expect(ranges.length).toBeGreaterThan(0);
    await src.close();
  });

  it("a missing URL is an InputError naming it", async () => {
    const url = `${base}/missing.tif`;
    const err = await openRaster(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message.startsWith(`${url}: `)).toBe(true);
  });
});
