/**
 * The one entry point for opening an input image. The format is decided by the file's
 * first bytes, not its name: TIFF goes to `geotiff`, PNG and JPEG to sharp, and http(s)
 * URLs are read as (Cloud-Optimised) GeoTIFFs with range requests. Only the header is read.
 */
import { open, stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import { GeoTiffSource } from "./geotiff-source.js";
import { ImageSource } from "./image-source.js";
import type { OpenRasterOptions } from "./raster-limits.js";
import type { RasterSource } from "./types.js";

export type { OpenRasterOptions } from "./raster-limits.js";

type SniffedFormat = "tiff" | "png" | "jpeg";

/**
 * Opens a local file or an http(s) URL. Throws InputError naming the file for a missing,
 * unreadable, unrecognised, truncated or too large image. Pixel reads go through
 * `readWindow` on the returned source; call `close` when done.
 */
export async function openRaster(pathOrUrl: string, limits: OpenRasterOptions = {}): Promise<RasterSource> {
  limits.signal?.throwIfAborted();
  if (/^https?:\/\//i.test(pathOrUrl)) return GeoTiffSource.open(pathOrUrl, limits);
  const path = pathOrUrl;
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory())
      throw new InputError("E_INPUT_UNREADABLE", path, "is a directory, not an image file");
    if (!st.isFile()) throw new InputError("E_INPUT_UNREADABLE", path, "is not a regular file");
    size = st.size;
  } catch (err) {
    throw fileError(path, err);
  }
  const format = await sniff(path, size);
  switch (format) {
    case "tiff":
      return GeoTiffSource.open(path, limits, size);
    case "png":
    case "jpeg":
      return ImageSource.open(path, limits);
  }
}

/** Reads the first and last bytes to tell the format, and rejects a PNG cut off before IEND. */
async function sniff(path: string, size: number): Promise<SniffedFormat> {
  const head = Buffer.alloc(8);
  const tail = Buffer.alloc(Math.min(size, 64));
  try {
    const handle = await open(path, "r");
    try {
      await handle.read(head, 0, Math.min(size, head.length), 0);
      await handle.read(tail, 0, tail.length, size - tail.length);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw fileError(path, err);
  }
  if (size === 0)
    throw new InputError("E_INPUT_FORMAT", path, "not a GeoTIFF, PNG or JPEG image (empty file)");
  const byteOrder = head.toString("latin1", 0, 2);
  const version = byteOrder === "II" ? head.readUInt16LE(2) : byteOrder === "MM" ? head.readUInt16BE(2) : 0;
  // 42: classic TIFF, 43: BigTIFF.
  if (version === 42 || version === 43) return "tiff";
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    if (!tail.includes("IEND", 0, "latin1")) {
      throw new InputError("E_INPUT_TRUNCATED", path, "file is truncated: the PNG has no IEND chunk");
    }
    return "png";
  }
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  throw new InputError("E_INPUT_FORMAT", path, "not a GeoTIFF, PNG or JPEG image");
}

function fileError(path: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return new InputError("E_INPUT_MISSING", path, "file not found", { cause: err });
  if (code === "EACCES" || code === "EPERM") {
    return new InputError("E_INPUT_UNREADABLE", path, "cannot be read (permission denied)", { cause: err });
  }
  if (code === "EISDIR")
    return new InputError("E_INPUT_UNREADABLE", path, "is a directory, not an image file", { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new InputError("E_INPUT_UNREADABLE", path, `cannot be read: ${message}`, { cause: err });
}
