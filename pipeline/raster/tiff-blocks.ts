/**
 * The fast path for local GeoTIFF pixels: geotiff.js parses the header, and the strips or
 * tiles of the common layouts (chunky, uncompressed or DEFLATE, no predictor or horizontal
 * differencing, little-endian 8/16/32-bit samples) are read with one positioned read each,
 * inflated by node:zlib and converted straight into the float32 window. geotiff.js spends
 * most of a read in a per-sample copy through DataView getters; this path is one typed-array
 * loop per block row.
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import type { GeoTIFFImage } from "geotiff";
import type { PixelWindow, SampleType } from "./types.js";

type SampleArray = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;

/** TIFF Compression values this path inflates: none, Adobe DEFLATE, old-style DEFLATE. */
const NONE = 1;
const DEFLATE = new Set([8, 32946]);

/** Bytes per sample and the typed array that views them, per sample type. */
const SAMPLE_ARRAYS: Partial<
  Record<SampleType, { bytes: number; view: (b: ArrayBuffer, o: number, n: number) => SampleArray }>
> = {
  uint8: { bytes: 1, view: (b, o, n) => new Uint8Array(b, o, n) },
  uint16: { bytes: 2, view: (b, o, n) => new Uint16Array(b, o, n) },
  int16: { bytes: 2, view: (b, o, n) => new Int16Array(b, o, n) },
  uint32: { bytes: 4, view: (b, o, n) => new Uint32Array(b, o, n) },
  int32: { bytes: 4, view: (b, o, n) => new Int32Array(b, o, n) },
  float32: { bytes: 4, view: (b, o, n) => new Float32Array(b, o, n) },
};

interface Layout {
  width: number;
  height: number;
  bands: number;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  compression: number;
  predictor: number;
  offsets: ArrayLike<number>;
  counts: ArrayLike<number>;
  bytes: number;
  view: (b: ArrayBuffer, o: number, n: number) => SampleArray;
}

/**
 * Decoded blocks kept per file. A tile's halo decodes blocks its neighbour decodes again,
 * and report chips of nearby detections share blocks; 16 MiB holds a row of 256 px uint16
 * RGBN tiles across a 1024 px tile window, and bounds memory whatever the image size.
 */
const CACHE_BYTES = 16 * 1024 * 1024;

export class TiffBlockReader {
  private handle: FileHandle | null = null;
  /** Least recently used first (Map iteration order); values are decoded blocks. */
  private readonly cache = new Map<number, SampleArray>();
  private cachedBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly layout: Layout,
  ) {}

  /**
   * A reader for `image` of the local file `path`, or null when its layout is one the fast
   * path does not cover (the caller then reads through geotiff.js, which covers them all).
   */
  static async create(
    path: string,
    image: GeoTIFFImage,
    sampleType: SampleType,
  ): Promise<TiffBlockReader | null> {
    const dir = image.fileDirectory;
    const sample = SAMPLE_ARRAYS[sampleType];
    const compression = Number(dir.getValue("Compression") ?? 1);
    const predictor = Number((await dir.loadValue("Predictor")) ?? 1);
    const bands = image.getSamplesPerPixel();
    const supported =
      sample !== undefined &&
      (compression === NONE || DEFLATE.has(compression)) &&
      // Predictors only exist inside codecs; 3 (floating point) is left to geotiff.js.
      (predictor === 1 || (predictor === 2 && compression !== NONE && sampleType !== "float32")) &&
      image.planarConfiguration === 1 &&
      (image.littleEndian || sample.bytes === 1);
    if (!supported) return null;
    const tiled = dir.hasTag("TileOffsets");
    const offsets = (await dir.loadValue(tiled ? "TileOffsets" : "StripOffsets")) as
      ArrayLike<number> | undefined;
    const counts = (await dir.loadValue(tiled ? "TileByteCounts" : "StripByteCounts")) as
      ArrayLike<number> | undefined;
    if (offsets === undefined || counts === undefined) return null;
    for (let i = 0; i < counts.length; i++) {
      // Sparse blocks (no bytes) decode as nodata in geotiff.js; leave those files to it.
      if (!(Number(counts[i]) > 0)) return null;
    }
    const width = image.getWidth();
    const blockWidth = image.getBlockWidth();
    return new TiffBlockReader(path, {
      width,
      height: image.getHeight(),
      bands,
      blockWidth,
      blockHeight: image.getBlockHeight(0),
      blocksAcross: Math.ceil(width / blockWidth),
      compression,
      predictor,
      offsets: Array.from(offsets, Number),
      counts: Array.from(counts, Number),
      bytes: sample.bytes,
      view: sample.view,
    });
  }

  /**
   * Decodes the pixels of `inner` (inside the image) into `out`, which holds the pixels of
   * `outer` (containing `inner`), pixel-interleaved; samples equal to `nodata` become NaN.
   * Values are exactly those geotiff.js gives: integers and float32 convert to float32 losslessly.
   */
  async readInto(
    inner: PixelWindow,
    out: Float32Array,
    outer: PixelWindow,
    nodata: number | null,
    signal?: AbortSignal,
  ): Promise<void> {
    const L = this.layout;
    const handle = (this.handle ??= await open(this.path, "r"));
    const bx0 = Math.floor(inner.x / L.blockWidth);
    const bx1 = Math.floor((inner.x + inner.width - 1) / L.blockWidth);
    const by0 = Math.floor(inner.y / L.blockHeight);
    const by1 = Math.floor((inner.y + inner.height - 1) / L.blockHeight);
    for (let by = by0; by <= by1; by++) {
      for (let bx = bx0; bx <= bx1; bx++) {
        signal?.throwIfAborted();
        const index = by * L.blocksAcross + bx;
        const rows = Math.min(L.blockHeight, L.height - by * L.blockHeight);
        let samples = this.cache.get(index);
        if (samples !== undefined) {
          // Move to the most recently used end.
          this.cache.delete(index);
          this.cache.set(index, samples);
        } else {
          samples = await this.load(handle, index, rows);
        }
        this.copyBlock(samples, bx, by, rows, inner, out, outer, nodata);
      }
    }
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.cachedBytes = 0;
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  /** Reads and decodes block `index` and keeps it in the cache, evicting the least recently used. */
  private async load(handle: FileHandle, index: number, rows: number): Promise<SampleArray> {
    const L = this.layout;
    const raw = Buffer.allocUnsafeSlow(L.counts[index]);
    const { bytesRead } = await handle.read(raw, 0, raw.length, L.offsets[index]);
    if (bytesRead !== raw.length) {
      throw new RangeError(
        `block ${index} runs past the end of the file (read ${bytesRead} of ${raw.length} bytes)`,
      );
    }
    const samples = this.decode(raw, rows);
    // A concurrent read of the same window may have cached the block meanwhile.
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;
    this.cache.set(index, samples);
    this.cachedBytes += samples.byteLength;
    for (const [key, block] of this.cache) {
      if (this.cachedBytes <= CACHE_BYTES) break;
      this.cache.delete(key);
      this.cachedBytes -= block.byteLength;
    }
    return samples;
  }

  /** Inflates (when compressed) and un-predicts one block; returns its samples. */
  private decode(raw: Buffer, rows: number): SampleArray {
    const L = this.layout;
    const rowSamples = L.blockWidth * L.bands;
    // Strips at the bottom hold only the rows left; tiles are always whole.
    const expected = rowSamples * rows * L.bytes;
    let bytes: Buffer = raw;
    if (L.compression !== NONE) bytes = inflateSync(raw, { chunkSize: Math.max(64, expected) });
    if (bytes.length < expected) {
      throw new RangeError(`block holds ${bytes.length} bytes but ${expected} were expected`);
    }
    // A typed view needs an offset aligned to its element size.
    if (bytes.byteOffset % L.bytes !== 0) bytes = Buffer.from(bytes);
    const samples = L.view(bytes.buffer as ArrayBuffer, bytes.byteOffset, rowSamples * rows);
    if (L.predictor === 2) {
      // Horizontal differencing: each sample is stored as the difference from the same band
      // of the pixel to its left; the typed array's wrap-around is the modular sum TIFF wants.
      const bands = L.bands;
      for (let r = 0, base = 0; r < rows; r++, base += rowSamples) {
        for (let i = base + bands, end = base + rowSamples; i < end; i++) samples[i] += samples[i - bands];
      }
    }
    return samples;
  }

  private copyBlock(
    samples: SampleArray,
    bx: number,
    by: number,
    rows: number,
    inner: PixelWindow,
    out: Float32Array,
    outer: PixelWindow,
    nodata: number | null,
  ): void {
    const L = this.layout;
    const bands = L.bands;
    const blockX = bx * L.blockWidth;
    const blockY = by * L.blockHeight;
    const x0 = Math.max(inner.x, blockX);
    const x1 = Math.min(inner.x + inner.width, blockX + L.blockWidth, L.width);
    const y0 = Math.max(inner.y, blockY);
    const y1 = Math.min(inner.y + inner.height, blockY + rows);
    const length = (x1 - x0) * bands;
    const useNodata = nodata !== null && !Number.isNaN(nodata);
    const nd = nodata ?? 0;
    for (let y = y0; y < y1; y++) {
      let src = ((y - blockY) * L.blockWidth + (x0 - blockX)) * bands;
      let dst = ((y - outer.y) * outer.width + (x0 - outer.x)) * bands;
      const end = src + length;
      if (useNodata) {
        for (; src < end; src++, dst++) {
          const v = samples[src];
          out[dst] = v === nd ? NaN : v;
        }
      } else {
        out.set(samples.subarray(src, end), dst);
      }
    }
  }
}
