/**
 * Plain PNG and JPEG images through sharp, in pixel space (no geo-reference). Both formats
 * must be decoded whole, so the first window decodes the image once and keeps it.
 */
import sharp, { type Metadata } from "sharp";
import { InputError } from "../errors.js";
import { checkRasterSize, DEFAULT_MAX_PIXELS, type OpenRasterOptions } from "./raster-limits.js";
import type { PixelWindow, RasterInfo, RasterSource, ReadOptions } from "./types.js";
import { intersectWindow, validateWindow } from "./window.js";

export class ImageSource implements RasterSource {
  readonly info: RasterInfo;
  private readonly limitInputPixels: number;
  private decoded: Promise<Uint8Array | Uint16Array> | null = null;

  private constructor(info: RasterInfo, limitInputPixels: number) {
    this.info = info;
    this.limitInputPixels = limitInputPixels;
  }

  /**
   * Reads the header of a PNG or JPEG. Bands are 1 (grey) or 3 (colour; palette images are
   * expanded); an alpha channel is dropped. 16-bit PNGs stay 16-bit (sampleType uint16).
   */
  static async open(path: string, options: OpenRasterOptions = {}): Promise<ImageSource> {
    let meta: Metadata;
    try {
      meta = await sharp(path, { limitInputPixels: false }).metadata();
    } catch (err) {
      throw new InputError("E_INPUT_UNREADABLE", path, `cannot read the image header: ${messageOf(err)}`, {
        cause: err,
      });
    }
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (meta.format !== "png" && meta.format !== "jpeg") {
      throw new InputError("E_INPUT_FORMAT", path, "not a GeoTIFF, PNG or JPEG image");
    }
    // Palette images decode to RGB(A); grey images keep one band.
    const colourBands = meta.isPalette ? 3 : meta.channels - (meta.hasAlpha ? 1 : 0);
    const bands = colourBands >= 3 ? 3 : 1;
    checkRasterSize(path, width, height, bands, options);
    if (meta.depth !== "uchar" && meta.depth !== "ushort") {
      throw new InputError(
        "E_INPUT_FORMAT",
        path,
        `unsupported sample format: ${meta.depth ?? "unknown"} samples`,
      );
    }
    const info: RasterInfo = {
      path,
      format: meta.format,
      width,
      height,
      bands,
      sampleType: meta.depth === "ushort" ? "uint16" : "uint8",
      nodata: null,
      epsg: null,
      transform: null,
      acquiredAt: null,
    };
    return new ImageSource(info, Math.max(options.maxPixels ?? DEFAULT_MAX_PIXELS, width * height));
  }

  async readWindow(window: PixelWindow, options: ReadOptions = {}): Promise<Float32Array> {
    validateWindow(window);
    const { width, height, bands } = this.info;
    const out = new Float32Array(window.width * window.height * bands);
    const inner = intersectWindow(window, width, height);
    if (inner === null) return out.fill(NaN);
    options.signal?.throwIfAborted();
    if (inner.width !== window.width || inner.height !== window.height) out.fill(NaN);
    const pixels = await this.decode();
    options.signal?.throwIfAborted();
    // The cached image is the whole raster: copy the inner window row by row.
    const rowLen = inner.width * bands;
    for (let r = 0; r < inner.height; r++) {
      let src = ((inner.y + r) * width + inner.x) * bands;
      let dst = ((inner.y - window.y + r) * window.width + (inner.x - window.x)) * bands;
      for (const end = src + rowLen; src < end; src++, dst++) out[dst] = pixels[src];
    }
    return out;
  }

  async close(): Promise<void> {
    this.decoded = null;
  }

  /** Decodes the whole image once (pixel-interleaved, alpha dropped) and caches it. */
  private decode(): Promise<Uint8Array | Uint16Array> {
    if (this.decoded === null) {
      this.decoded = this.decodeNow();
      // A failed decode is not cached, so the caller sees the error each time it asks.
      this.decoded.catch(() => {
        this.decoded = null;
      });
    }
    return this.decoded;
  }

  private async decodeNow(): Promise<Uint8Array | Uint16Array> {
    const { path, bands, sampleType } = this.info;
    const wide = sampleType === "uint16";
    const space = bands === 1 ? (wide ? "grey16" : "b-w") : wide ? "rgb16" : "srgb";
    try {
      const { data, info } = await sharp(path, {
        limitInputPixels: this.limitInputPixels,
        failOn: "truncated",
      })
        .removeAlpha()
        .toColourspace(space)
        .raw({ depth: wide ? "ushort" : "uchar" })
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== bands || info.width !== this.info.width || info.height !== this.info.height) {
        throw new Error(`decoded ${info.width} x ${info.height} x ${info.channels}, expected ${bands} bands`);
      }
      if (!wide) return new Uint8Array(data.buffer, data.byteOffset, data.length);
      return data.byteOffset % 2 === 0
        ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
        : new Uint16Array(new Uint8Array(data).buffer);
    } catch (err) {
      const message = messageOf(err);
      const truncated = /truncat|premature end|unexpected end|not enough data|read error/i.test(message);
      throw truncated
        ? new InputError("E_INPUT_TRUNCATED", path, `file is truncated: cannot decode pixels (${message})`, {
            cause: err,
          })
        : new InputError("E_INPUT_UNREADABLE", path, `cannot decode pixels: ${message}`, { cause: err });
    }
  }
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
