/**
 * A small GeoTIFF writer: classic little-endian TIFF, strips or tiles, chunky or planar,
 * no compression / DEFLATE / LZW with the horizontal or floating-point predictor, and the
 * GeoTIFF tags a reader needs (EPSG code, north-up transform, GDAL nodata, DateTime).
 */

import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import { deflateSync } from "node:zlib";

import type { GeoTransform, SampleType } from "./types.js";

export type WritableSampleType = Extract<SampleType, "uint8" | "uint16" | "int16" | "float32">;

export interface GeoTiffWriteOptions {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Samples per pixel, 1 to 65535. */
  bands: number;
  sampleType: WritableSampleType;
  /** @defaultValue "none" */
  compression?: "none" | "deflate" | "lzw";
  /**
   * 1 = none, 2 = horizontal differencing (integer types only), 3 = floating point
   * (float32 only); needs compression, since libtiff applies predictors only in its codecs.
   * @defaultValue 1
   */
  predictor?: 1 | 2 | 3;
  /** Square tiles of this size (a multiple of 16) when set; strips otherwise. */
  tileSizePx?: number;
  /**
   * Rows per strip (strip layout only).
   * @defaultValue as many rows as fit in 64 KiB of uncompressed samples, at least 1
   */
  rowsPerStrip?: number;
  /**
   * 1 = chunky (all bands of a pixel together), 2 = planar (one set of strips/tiles per band).
   * @defaultValue 1
   */
  planarConfig?: 1 | 2;
  /**
   * EPSG code of the CRS. Codes 4000-4999 (geographic 2D CRSs such as 4326) are written as
   * GeographicTypeGeoKey, all others as ProjectedCSTypeGeoKey; raster type is PixelIsArea.
   */
  epsg?: number;
  /** North-up transform of the top-left pixel corner, written as ModelPixelScale + ModelTiepoint. */
  transform?: GeoTransform;
  /** Nodata value, written as the GDAL_NODATA tag (42113). NaN is written as "nan". */
  nodata?: number;
  /** TIFF DateTime tag (306), "YYYY:MM:DD HH:MM:SS". */
  dateTime?: string;
  /**
   * Photometric interpretation; bands beyond 1 (minisblack) or 3 (rgb) are declared as
   * unspecified ExtraSamples.
   * @defaultValue "rgb" for uint8 with 3 or more bands, else "minisblack"
   */
  photometric?: "minisblack" | "rgb";
}

/** Largest file a classic TIFF can address with 32-bit offsets. */
const MAX_CLASSIC_TIFF_BYTES = 0xffffffff;

/** Strip size the default rowsPerStrip aims at: small enough for cheap windowed reads. */
const DEFAULT_STRIP_BYTES = 65536;

const KNOWN_OPTIONS = new Set([
  "width",
  "height",
  "bands",
  "sampleType",
  "compression",
  "predictor",
  "tileSizePx",
  "rowsPerStrip",
  "planarConfig",
  "epsg",
  "transform",
  "nodata",
  "dateTime",
  "photometric",
]);

type SampleArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

interface SampleTypeInfo {
  bytes: number;
  /** TIFF SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  format: 1 | 2 | 3;
  min: number;
  max: number;
  create(length: number): SampleArray;
  matches(data: ArrayLike<number>): data is SampleArray;
}

const SAMPLE_TYPES: Record<WritableSampleType, SampleTypeInfo> = {
  uint8: {
    bytes: 1,
    format: 1,
    min: 0,
    max: 255,
    create: (n) => new Uint8Array(n),
    matches: (d): d is Uint8Array => d instanceof Uint8Array,
  },
  uint16: {
    bytes: 2,
    format: 1,
    min: 0,
    max: 65535,
    create: (n) => new Uint16Array(n),
    matches: (d): d is Uint16Array => d instanceof Uint16Array,
  },
  int16: {
    bytes: 2,
    format: 2,
    min: -32768,
    max: 32767,
    create: (n) => new Int16Array(n),
    matches: (d): d is Int16Array => d instanceof Int16Array,
  },
  float32: {
    bytes: 4,
    format: 3,
    min: -Infinity,
    max: Infinity,
    create: (n) => new Float32Array(n),
    matches: (d): d is Float32Array => d instanceof Float32Array,
  },
};

const COMPRESSION_CODES = { none: 1, lzw: 5, deflate: 8 } as const;

function describe(value: unknown): string {
  return `${typeof value === "string" ? JSON.stringify(value) : String(value)} of type ${typeof value}`;
}

function expectInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Expected integer between ${min} and ${max} for ${name} but received ${describe(value)}`,
    );
  }
  return value;
}

function expectOneOf<const T>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((a) => (typeof a === "string" ? `"${a}"` : String(a))).join(", ");
    throw new RangeError(`Expected one of ${list} for ${name} but received ${describe(value)}`);
  }
  return value as T;
}

interface ResolvedOptions {
  width: number;
  height: number;
  bands: number;
  type: SampleTypeInfo;
  compression: 1 | 5 | 8;
  predictor: 1 | 2 | 3;
  tiled: boolean;
  /** Chunk width and height: the tile size, or the image width and rows per strip. */
  chunkWidth: number;
  chunkHeight: number;
  planar: boolean;
  photometric: 1 | 2;
  epsg: number | undefined;
  transform: GeoTransform | undefined;
  nodata: number | undefined;
  dateTime: string | undefined;
}

function resolveOptions(options: GeoTiffWriteOptions, dataLength: number): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new RangeError(`Unknown GeoTIFF write option ${JSON.stringify(key)}`);
  }
  const width = expectInteger("width", options.width, 1, 0xffffffff);
  const height = expectInteger("height", options.height, 1, 0xffffffff);
  const bands = expectInteger("bands", options.bands, 1, 65535);
  const sampleType = expectOneOf("sampleType", options.sampleType, ["uint8", "uint16", "int16", "float32"]);
  const type = SAMPLE_TYPES[sampleType];
  const expectedLength = width * height * bands;
  if (dataLength !== expectedLength) {
    throw new RangeError(
      `Expected data of length width*height*bands = ${expectedLength} but received length ${dataLength}`,
    );
  }
  const compression =
    COMPRESSION_CODES[expectOneOf("compression", options.compression ?? "none", ["none", "deflate", "lzw"])];
  const predictor = expectOneOf("predictor", options.predictor ?? 1, [1, 2, 3] as const);
  if (predictor === 2 && type.format === 3) {
    throw new RangeError("Expected predictor 1 or 3 for sampleType float32 but received 2");
  }
  if (predictor === 3 && type.format !== 3) {
    throw new RangeError(`Expected predictor 1 or 2 for sampleType ${sampleType} but received 3`);
  }
  // libtiff applies predictors only inside its codecs, so it would misread them on raw data.
  if (predictor !== 1 && compression === COMPRESSION_CODES.none) {
    throw new RangeError(
      `Expected compression "deflate" or "lzw" with predictor ${predictor} but received "none"`,
    );
  }
  const planar = expectOneOf("planarConfig", options.planarConfig ?? 1, [1, 2] as const) === 2;
  const tiled = options.tileSizePx !== undefined;
  let chunkWidth: number;
  let chunkHeight: number;
  if (tiled) {
    if (options.rowsPerStrip !== undefined) {
      throw new RangeError("rowsPerStrip cannot be combined with tileSizePx");
    }
    const size = expectInteger("tileSizePx", options.tileSizePx, 16, 65520);
    if (size % 16 !== 0) {
      throw new RangeError(`Expected multiple of 16 for tileSizePx but received ${describe(size)}`);
    }
    chunkWidth = size;
    chunkHeight = size;
  } else {
    const rowSamples = width * (planar ? 1 : bands);
    const defaultRows = Math.max(1, Math.floor(DEFAULT_STRIP_BYTES / (rowSamples * type.bytes)));
    chunkWidth = width;
    chunkHeight = Math.min(
      height,
      expectInteger("rowsPerStrip", options.rowsPerStrip ?? defaultRows, 1, 0xffffffff),
    );
  }
  const defaultPhotometric = bands >= 3 && sampleType === "uint8" ? "rgb" : "minisblack";
  const photometricName = expectOneOf("photometric", options.photometric ?? defaultPhotometric, [
    "minisblack",
    "rgb",
  ]);
  if (photometricName === "rgb" && bands < 3) {
    throw new RangeError(`Expected at least 3 bands for photometric "rgb" but received ${describe(bands)}`);
  }
  const epsg = options.epsg === undefined ? undefined : expectInteger("epsg", options.epsg, 1, 65534);
  const transform = options.transform;
  if (transform !== undefined) {
    for (const key of ["originX", "originY", "pixelWidth", "pixelHeight"] as const) {
      const v: unknown = transform[key];
      const pixel = key.startsWith("pixel");
      if (typeof v !== "number" || !Number.isFinite(v) || (pixel && v === 0)) {
        const expected = pixel ? "finite non-zero number" : "finite number";
        throw new RangeError(`Expected ${expected} for transform.${key} but received ${describe(v)}`);
      }
    }
  }
  const nodata = options.nodata;
  if (nodata !== undefined && (typeof nodata !== "number" || nodata === Infinity || nodata === -Infinity)) {
    throw new RangeError(`Expected finite number or NaN for nodata but received ${describe(nodata)}`);
  }
  const dateTime = options.dateTime;
  if (
    dateTime !== undefined &&
    (typeof dateTime !== "string" || !/^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/.test(dateTime))
  ) {
    throw new RangeError(`Expected "YYYY:MM:DD HH:MM:SS" for dateTime but received ${describe(dateTime)}`);
  }
  return {
    width,
    height,
    bands,
    type,
    compression,
    predictor,
    tiled,
    chunkWidth,
    chunkHeight,
    planar,
    photometric: photometricName === "rgb" ? 2 : 1,
    epsg,
    transform,
    nodata,
    dateTime,
  };
}

/**
 * Returns the samples as the file's sample type: typed arrays of that type are used as they
 * are; anything else is rounded (integer types) and clamped to the type's range, NaN → 0.
 */
function toSampleArray(data: ArrayLike<number>, type: SampleTypeInfo): SampleArray {
  if (type.matches(data)) return data;
  const out = type.create(data.length);
  if (type.format === 3) {
    for (let i = 0; i < data.length; i++) out[i] = data[i];
    return out;
  }
  const { min, max } = type;
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i]);
    out[i] = v >= min ? (v <= max ? v : max) : v < min ? min : 0;
  }
  return out;
}

/**
 * Horizontal differencing (TIFF predictor 2) of each row in place: every sample becomes the
 * difference to the same band of the pixel to its left, wrapping in the integer type.
 */
function applyHorizontalPredictor(chunk: SampleArray, rowSamples: number, stride: number): void {
  for (let start = 0; start < chunk.length; start += rowSamples) {
    for (let i = start + rowSamples - 1; i >= start + stride; i--) chunk[i] -= chunk[i - stride];
  }
}

/**
 * Floating-point predictor (TIFF Technical Note 3, predictor 3) as libtiff's fpDiff: each
 * row's samples are split into byte planes, most significant byte first, then the bytes
 * are differenced with a stride of the samples per pixel.
 */
function applyFloatingPointPredictor(bytes: Uint8Array, rowSamples: number, stride: number): Uint8Array {
  const bytesPerSample = 4;
  const rowBytes = rowSamples * bytesPerSample;
  const out = new Uint8Array(bytes.length);
  const littleEndian = endianness() === "LE";
  for (let start = 0; start < bytes.length; start += rowBytes) {
    for (let s = 0; s < rowSamples; s++) {
      for (let b = 0; b < bytesPerSample; b++) {
        // Plane 0 holds the most significant bytes.
        const src = start + s * bytesPerSample + (littleEndian ? bytesPerSample - 1 - b : b);
        out[start + b * rowSamples + s] = bytes[src];
      }
    }
    for (let i = start + rowBytes - 1; i >= start + stride; i--) out[i] = (out[i] - out[i - stride]) & 0xff;
  }
  return out;
}

/** TIFF LZW limits: 9-bit codes at first, never wider than 12. */
const LZW_CLEAR = 256;
const LZW_EOI = 257;
const LZW_FIRST = 258;
/**
 * The encoder emits Clear when its next free code reaches 4094, as libtiff does: decoders
 * lag one entry behind and must never need a 13-bit code or a table past 4093.
 */
const LZW_TABLE_LIMIT = 4094;

/** String table keyed by (prefix code << 8 | next byte); a generation stamp clears it in O(1). */
let lzwCodes: Uint16Array | null = null;
let lzwStamps: Uint32Array | null = null;
let lzwGeneration = 0;

/**
 * TIFF LZW (TIFF 6.0 section 13): codes are written MSB-first, starting with Clear, and the
 * code width grows from 9 to 12 bits one code early ("early change") as in libtiff.
 */
function lzwEncode(input: Uint8Array): Uint8Array {
  if (lzwCodes === null || lzwStamps === null) {
    lzwCodes = new Uint16Array(1 << 20);
    lzwStamps = new Uint32Array(1 << 20);
  }
  const codes = lzwCodes;
  const stamps = lzwStamps;
  // Worst case: every byte becomes a 12-bit code, plus Clear codes and EOI.
  const out = new Uint8Array(Math.ceil(((input.length + 2) * 12 * 1.01) / 8) + 16);
  let outPos = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  let width = 9;
  let next = LZW_FIRST;

  const put = (code: number): void => {
    bitBuffer = (bitBuffer << width) | code;
    bitCount += width;
    while (bitCount >= 8) {
      bitCount -= 8;
      out[outPos++] = (bitBuffer >>> bitCount) & 0xff;
    }
    bitBuffer &= (1 << bitCount) - 1;
  };
  const newTable = (): void => {
    lzwGeneration = (lzwGeneration + 1) >>> 0;
    if (lzwGeneration === 0) {
      stamps.fill(0);
      lzwGeneration = 1;
    }
    next = LZW_FIRST;
  };
  // Called after a code has been written: the decoder adds an entry on every code but the
  // first after a Clear, so the width must follow the table it will have.
  const grow = (): void => {
    next++;
    if (next === LZW_TABLE_LIMIT) {
      put(LZW_CLEAR);
      newTable();
      width = 9;
    } else if (next > (1 << width) - 1) {
      width++;
    }
  };

  newTable();
  put(LZW_CLEAR);
  if (input.length > 0) {
    let prefix = input[0];
    for (let i = 1; i < input.length; i++) {
      const c = input[i];
      const key = (prefix << 8) | c;
      if (stamps[key] === lzwGeneration) {
        prefix = codes[key];
        continue;
      }
      put(prefix);
      codes[key] = next;
      stamps[key] = lzwGeneration;
      grow();
      prefix = c;
    }
    put(prefix);
    grow();
  }
  put(LZW_EOI);
  if (bitCount > 0) out[outPos++] = (bitBuffer << (8 - bitCount)) & 0xff;
  return out.subarray(0, outPos);
}

function bytesOf(chunk: SampleArray): Uint8Array {
  const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk.BYTES_PER_ELEMENT === 1 || endianness() === "LE") return bytes;
  const swapped = new Uint8Array(bytes.length);
  const n = chunk.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += n) {
    for (let b = 0; b < n; b++) swapped[i + b] = bytes[i + n - 1 - b];
  }
  return swapped;
}

/** Copies, predicts and compresses every strip or tile, in TIFF order (plane-major when planar). */
function encodeChunks(samples: SampleArray, o: ResolvedOptions): Uint8Array[] {
  const { width, height, bands, chunkWidth, chunkHeight, planar, type } = o;
  const across = Math.ceil(width / chunkWidth);
  const down = Math.ceil(height / chunkHeight);
  const planes = planar ? bands : 1;
  const spp = planar ? 1 : bands;
  const chunks: Uint8Array[] = [];
  for (let plane = 0; plane < planes; plane++) {
    for (let cy = 0; cy < down; cy++) {
      for (let cx = 0; cx < across; cx++) {
        const x0 = cx * chunkWidth;
        const y0 = cy * chunkHeight;
        const copyWidth = Math.min(chunkWidth, width - x0);
        // Tiles are always full size (edges padded with zeros); the last strip is short.
        const rows = o.tiled ? chunkHeight : Math.min(chunkHeight, height - y0);
        const copyRows = Math.min(rows, height - y0);
        const rowSamples = chunkWidth * spp;
        const chunk = type.create(rowSamples * rows);
        for (let r = 0; r < copyRows; r++) {
          const dst = r * rowSamples;
          const srcPixel = (y0 + r) * width + x0;
          if (planar) {
            for (let x = 0; x < copyWidth; x++) chunk[dst + x] = samples[(srcPixel + x) * bands + plane];
          } else {
            const src = srcPixel * bands;
            chunk.set(samples.subarray(src, src + copyWidth * bands), dst);
          }
        }
        let bytes: Uint8Array;
        if (o.predictor === 2) {
          applyHorizontalPredictor(chunk, rowSamples, spp);
          bytes = bytesOf(chunk);
        } else if (o.predictor === 3) {
          bytes = applyFloatingPointPredictor(bytesOf(chunk), rowSamples, spp);
        } else {
          bytes = bytesOf(chunk);
        }
        if (o.compression === 8) bytes = new Uint8Array(deflateSync(bytes));
        else if (o.compression === 5) bytes = lzwEncode(bytes).slice();
        chunks.push(bytes);
      }
    }
  }
  return chunks;
}

const enum FieldType {
  ASCII = 2,
  SHORT = 3,
  LONG = 4,
  DOUBLE = 12,
}

const FIELD_BYTES: Record<FieldType, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };

interface TagEntry {
  tag: number;
  type: FieldType;
  values: number[] | string;
}

function ascii(value: string): string {
  return `${value}\0`;
}

/** GeoKeyDirectory (tag 34735): header, then one (key, location 0, count 1, value) per key. */
function geoKeyDirectory(epsg: number): number[] {
  const geographic = epsg >= 4000 && epsg <= 4999;
  const keys: [number, number][] = [
    [1024, geographic ? 2 : 1], // GTModelTypeGeoKey: 1 projected, 2 geographic
    [1025, 1], // GTRasterTypeGeoKey: 1 PixelIsArea
    [geographic ? 2048 : 3072, epsg], // GeographicTypeGeoKey / ProjectedCSTypeGeoKey
  ];
  const dir = [1, 1, 0, keys.length];
  for (const [key, value] of keys) dir.push(key, 0, 1, value);
  return dir;
}

function formatNodata(nodata: number): string {
  return Number.isNaN(nodata) ? "nan" : String(nodata);
}

function buildTags(o: ResolvedOptions, chunkOffsets: number[], chunkSizes: number[]): TagEntry[] {
  const spp = o.bands;
  const extra = o.bands - (o.photometric === 2 ? 3 : 1);
  const tags: TagEntry[] = [
    { tag: 256, type: FieldType.LONG, values: [o.width] },
    { tag: 257, type: FieldType.LONG, values: [o.height] },
    { tag: 258, type: FieldType.SHORT, values: new Array<number>(spp).fill(o.type.bytes * 8) },
    { tag: 259, type: FieldType.SHORT, values: [o.compression] },
    { tag: 262, type: FieldType.SHORT, values: [o.photometric] },
    { tag: 277, type: FieldType.SHORT, values: [spp] },
    { tag: 284, type: FieldType.SHORT, values: [o.planar ? 2 : 1] },
    { tag: 339, type: FieldType.SHORT, values: new Array<number>(spp).fill(o.type.format) },
  ];
  if (o.tiled) {
    tags.push(
      { tag: 322, type: FieldType.LONG, values: [o.chunkWidth] },
      { tag: 323, type: FieldType.LONG, values: [o.chunkHeight] },
      { tag: 324, type: FieldType.LONG, values: chunkOffsets },
      { tag: 325, type: FieldType.LONG, values: chunkSizes },
    );
  } else {
    tags.push(
      { tag: 273, type: FieldType.LONG, values: chunkOffsets },
      { tag: 278, type: FieldType.LONG, values: [o.chunkHeight] },
      { tag: 279, type: FieldType.LONG, values: chunkSizes },
    );
  }
  if (o.dateTime !== undefined) tags.push({ tag: 306, type: FieldType.ASCII, values: ascii(o.dateTime) });
  if (o.predictor !== 1) tags.push({ tag: 317, type: FieldType.SHORT, values: [o.predictor] });
  if (extra > 0) tags.push({ tag: 338, type: FieldType.SHORT, values: new Array<number>(extra).fill(0) });
  if (o.transform !== undefined) {
    const t = o.transform;
    tags.push(
      { tag: 33550, type: FieldType.DOUBLE, values: [t.pixelWidth, -t.pixelHeight, 0] },
      { tag: 33922, type: FieldType.DOUBLE, values: [0, 0, 0, t.originX, t.originY, 0] },
    );
  }
  if (o.epsg !== undefined) tags.push({ tag: 34735, type: FieldType.SHORT, values: geoKeyDirectory(o.epsg) });
  if (o.nodata !== undefined)
    tags.push({ tag: 42113, type: FieldType.ASCII, values: ascii(formatNodata(o.nodata)) });
  return tags.sort((a, b) => a.tag - b.tag);
}

function tagByteLength(entry: TagEntry): number {
  return entry.values.length * FIELD_BYTES[entry.type];
}

function writeTagValues(view: DataView, offset: number, entry: TagEntry): void {
  const { type, values } = entry;
  for (let i = 0; i < values.length; i++) {
    if (typeof values === "string") view.setUint8(offset + i, values.charCodeAt(i));
    else if (type === FieldType.SHORT) view.setUint16(offset + i * 2, values[i], true);
    else if (type === FieldType.LONG) view.setUint32(offset + i * 4, values[i], true);
    else view.setFloat64(offset + i * 8, values[i], true);
  }
}

const align4 = (n: number): number => (n + 3) & ~3;

/**
 * Encodes an image as a GeoTIFF file in memory. The file holds the header, then the one
 * IFD and its out-of-line values, then the strips or tiles.
 *
 * @param data samples, pixel-interleaved, row-major: index (row * width + col) * bands + band;
 *   length width*height*bands. Typed arrays of the sample type are written as they are;
 *   other values are rounded and clamped to the integer type's range (NaN becomes 0).
 * @throws RangeError for invalid options or data length, or when the file would exceed the
 *   4 GiB a classic (non-Big) TIFF can address.
 */
export function encodeGeoTiff(data: ArrayLike<number>, options: GeoTiffWriteOptions): Buffer {
  const o = resolveOptions(options, data.length);
  const rawBytes = o.width * o.height * o.bands * o.type.bytes;
  if (o.compression === 1 && rawBytes > MAX_CLASSIC_TIFF_BYTES) {
    throw new RangeError(
      `Uncompressed image of ${rawBytes} bytes exceeds the 4 GiB limit of a classic TIFF; use compression or tile it into several files`,
    );
  }
  const chunks = encodeChunks(toSampleArray(data, o.type), o);

  // Sizes do not depend on the offset values, so lay out with placeholders first.
  const chunkSizes = chunks.map((c) => c.length);
  const placeholder = buildTags(o, new Array<number>(chunks.length).fill(0), chunkSizes);
  const ifdOffset = 8;
  const ifdBytes = 2 + placeholder.length * 12 + 4;
  let externalBytes = 0;
  for (const entry of placeholder) {
    const n = tagByteLength(entry);
    if (n > 4) externalBytes += align4(n);
  }
  const dataStart = align4(ifdOffset + ifdBytes) + externalBytes;
  const totalBytes = dataStart + chunkSizes.reduce((a, b) => a + b, 0);
  if (totalBytes > MAX_CLASSIC_TIFF_BYTES) {
    throw new RangeError(
      `GeoTIFF of ${totalBytes} bytes exceeds the 4 GiB limit of a classic TIFF; write smaller images`,
    );
  }
  const chunkOffsets: number[] = [];
  let cursor = dataStart;
  for (const size of chunkSizes) {
    chunkOffsets.push(cursor);
    cursor += size;
  }
  const tags = buildTags(o, chunkOffsets, chunkSizes);

  const out = Buffer.alloc(totalBytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.write("II", 0, "latin1");
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdOffset, true);
  view.setUint16(ifdOffset, tags.length, true);
  let external = align4(ifdOffset + ifdBytes);
  tags.forEach((entry, i) => {
    const at = ifdOffset + 2 + i * 12;
    view.setUint16(at, entry.tag, true);
    view.setUint16(at + 2, entry.type, true);
    view.setUint32(at + 4, entry.values.length, true);
    const n = tagByteLength(entry);
    if (n <= 4) {
      writeTagValues(view, at + 8, entry);
    } else {
      view.setUint32(at + 8, external, true);
      writeTagValues(view, external, entry);
      external += align4(n);
    }
  });
  view.setUint32(ifdOffset + 2 + tags.length * 12, 0, true); // no further IFD
  chunks.forEach((chunk, i) => out.set(chunk, chunkOffsets[i]));
  return out;
}

/**
 * Encodes and writes a GeoTIFF. The bytes go to `${path}.tmp-<pid>-<random>` first and are
 * renamed into place, so readers never see a half-written file; the temporary file is
 * removed when writing fails.
 */
export async function writeGeoTiff(
  path: string,
  data: ArrayLike<number>,
  options: GeoTiffWriteOptions,
): Promise<void> {
  const bytes = encodeGeoTiff(data, options);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
