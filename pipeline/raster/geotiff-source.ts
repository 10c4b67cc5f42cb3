/**
 * GeoTIFF and Cloud-Optimised GeoTIFF reading through `geotiff`: the header becomes a
 * RasterInfo at open, pixel windows are decoded on demand (a COG over HTTP fetches only
 * the tiles a window touches). Local files in the common layouts take TiffBlockReader's
 * faster path for pixels; everything else goes through geotiff.js.
 */
import { fromFile, fromUrl, type GeoTIFF, type GeoTIFFImage } from "geotiff";
import { InputError } from "../errors.js";
import { checkRasterSize, type OpenRasterOptions } from "./raster-limits.js";
import type {
  GeoTransform,
  PixelWindow,
  RasterInfo,
  RasterSource,
  ReadOptions,
  SampleType,
} from "./types.js";
import { TiffBlockReader } from "./tiff-blocks.js";
import { copyBlockInto, intersectWindow, validateWindow } from "./window.js";

/** TIFF compression codes `geotiff` can decode, with names for error messages. */
const SUPPORTED_COMPRESSION = new Set([1, 5, 6, 7, 8, 32773, 32946, 34887, 50000, 50001]);

/** GeoKey value meaning "user-defined" (no EPSG code). */
const USER_DEFINED = 32767;

export class GeoTiffSource implements RasterSource {
  readonly info: RasterInfo;
  private readonly tiff: GeoTIFF;
  private readonly image: GeoTIFFImage;
  /** The fast pixel path, or null where geotiff.js decodes (remote files, rarer layouts). */
  private readonly blocks: TiffBlockReader | null;
  /** nodata as the decoded array holds it (rounded to float32 for float32 files). */
  private readonly nodataInArray: number | null;

  private constructor(info: RasterInfo, tiff: GeoTIFF, image: GeoTIFFImage, blocks: TiffBlockReader | null) {
    this.info = info;
    this.tiff = tiff;
    this.image = image;
    this.blocks = blocks;
    this.nodataInArray =
      info.nodata !== null && info.sampleType === "float32" ? Math.fround(info.nodata) : info.nodata;
  }

  /**
   * Opens a local GeoTIFF (`path`) or a remote one (`http(s)://` URL), reading only the
   * header. `fileSize`, when known, is used to reject truncated files at open.
   */
  static async open(
    path: string,
    options: OpenRasterOptions = {},
    fileSize?: number,
  ): Promise<GeoTiffSource> {
    const isUrl = /^https?:\/\//i.test(path);
    let tiff: GeoTIFF;
    let image: GeoTIFFImage;
    try {
      tiff = isUrl ? await fromUrl(path, {}, options.signal) : await fromFile(path, options.signal);
      image = await tiff.getImage(0);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      // A network failure (no HTTP answer) may pass: leave it a plain, retryable error.
      if (isUrl && err instanceof TypeError && err.message === "fetch failed") throw err;
      throw wrapGeotiffError(path, err, "cannot read the TIFF header");
    }
    try {
      const info = await readInfo(path, image, options);
      if (fileSize !== undefined) await checkBlocksWithinFile(path, image, fileSize);
      const blocks = isUrl ? null : await TiffBlockReader.create(path, image, info.sampleType);
      return new GeoTiffSource(info, tiff, image, blocks);
    } catch (err) {
      await tiff.close();
      throw err;
    }
  }

  async readWindow(window: PixelWindow, options: ReadOptions = {}): Promise<Float32Array> {
    validateWindow(window);
    const { width, height, bands } = this.info;
    const out = new Float32Array(window.width * window.height * bands);
    const inner = intersectWindow(window, width, height);
    if (inner === null) return out.fill(NaN);
    if (inner.width !== window.width || inner.height !== window.height) out.fill(NaN);
    if (this.blocks !== null) {
      try {
        await this.blocks.readInto(inner, out, window, this.nodataInArray, options.signal);
      } catch (err) {
        if (options.signal?.aborted) throw err;
        throw wrapGeotiffError(this.info.path, err, "cannot decode pixels");
      }
      return out;
    }
    let block: ArrayLike<number>;
    try {
      block = await this.image.readRasters({
        window: [inner.x, inner.y, inner.x + inner.width, inner.y + inner.height],
        interleave: true,
        signal: options.signal,
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw wrapGeotiffError(this.info.path, err, "cannot decode pixels");
    }
    copyBlockInto(block, inner, out, window, bands, this.nodataInArray);
    return out;
  }

  async close(): Promise<void> {
    await this.blocks?.close();
    await this.tiff.close();
  }
}

async function readInfo(path: string, image: GeoTIFFImage, options: OpenRasterOptions): Promise<RasterInfo> {
  const width = image.getWidth();
  const height = image.getHeight();
  const bands = image.getSamplesPerPixel();
  checkRasterSize(path, width, height, bands, options);
  const sampleType = sampleTypeOf(path, image, bands);
  const compression = Number(image.fileDirectory.getValue("Compression") ?? 1);
  if (!SUPPORTED_COMPRESSION.has(compression)) {
    throw new InputError("E_INPUT_FORMAT", path, `unsupported TIFF compression ${compression}`);
  }
  const dateTime = await image.fileDirectory.loadValue("DateTime");
  return {
    path,
    format: "geotiff",
    width,
    height,
    bands,
    sampleType,
    nodata: image.getGDALNoData(),
    epsg: epsgOf(image),
    transform: transformOf(path, image),
    acquiredAt: typeof dateTime === "string" ? parseTiffDateTime(dateTime) : null,
  };
}

const SAMPLE_FORMAT_NAMES: Record<number, string> = {
  1: "unsigned integer",
  2: "signed integer",
  3: "floating point",
  4: "undefined",
  5: "complex integer",
  6: "complex floating point",
};

function sampleTypeOf(path: string, image: GeoTIFFImage, bands: number): SampleType {
  const bits = image.getBitsPerSample(0);
  const format = image.getSampleFormat(0);
  for (let b = 1; b < bands; b++) {
    if (image.getBitsPerSample(b) !== bits || image.getSampleFormat(b) !== format) {
      throw new InputError("E_INPUT_FORMAT", path, "unsupported sample format: bands differ in sample type");
    }
  }
  const key = `${format}/${bits}`;
  const types: Record<string, SampleType> = {
    "1/8": "uint8",
    "1/16": "uint16",
    "2/16": "int16",
    "1/32": "uint32",
    "2/32": "int32",
    "3/32": "float32",
    "3/64": "float64",
  };
  const type = types[key];
  if (type === undefined) {
    const name = SAMPLE_FORMAT_NAMES[format] ?? `format ${format}`;
    throw new InputError(
      "E_INPUT_FORMAT",
      path,
      `unsupported sample format: ${bits}-bit ${name} (supported: uint8, uint16, int16, uint32, int32, float32, float64)`,
    );
  }
  return type;
}

function epsgOf(image: GeoTIFFImage): number | null {
  const keys = image.getGeoKeys();
  if (keys === null) return null;
  // GTModelTypeGeoKey: 1 projected, 2 geographic. Projected files also carry their datum's
  // GeographicTypeGeoKey, so the model type decides which key names the CRS.
  const model = keys.GTModelTypeGeoKey as number | undefined;
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  const code = model === 2 ? geographic : (projected ?? (model === 1 ? undefined : geographic));
  if (code === undefined || code === USER_DEFINED || !Number.isInteger(code) || code <= 0) return null;
  return code;
}

/**
 * The north-up transform from ModelPixelScale + ModelTiepoint or ModelTransformation, with
 * the tie point's raster position and PixelIsPoint files shifted to the top-left corner
 * convention (as GDAL does). Null when the file has neither tag, or only ground control
 * points without a pixel scale.
 */
function transformOf(path: string, image: GeoTIFFImage): GeoTransform | null {
  const dir = image.fileDirectory;
  const tie = dir.getValue("ModelTiepoint") as ArrayLike<number> | undefined;
  const scale = dir.getValue("ModelPixelScale") as ArrayLike<number> | undefined;
  const matrix = dir.getValue("ModelTransformation") as ArrayLike<number> | undefined;
  let t: GeoTransform;
  if (tie !== undefined && tie.length >= 6 && scale !== undefined && scale.length >= 2) {
    t = {
      originX: tie[3] - tie[0] * scale[0],
      originY: tie[4] + tie[1] * scale[1],
      pixelWidth: scale[0],
      pixelHeight: -scale[1],
    };
  } else if (matrix !== undefined && matrix.length >= 8) {
    if (matrix[1] !== 0 || matrix[4] !== 0) {
      throw new InputError("E_INPUT_FORMAT", path, "rotated or sheared geo-transforms are not supported");
    }
    t = { originX: matrix[3], originY: matrix[7], pixelWidth: matrix[0], pixelHeight: matrix[5] };
  } else {
    return null;
  }
  if (!image.pixelIsArea()) {
    t.originX -= t.pixelWidth / 2;
    t.originY -= t.pixelHeight / 2;
  }
  if (
    ![t.originX, t.originY, t.pixelWidth, t.pixelHeight].every(Number.isFinite) ||
    t.pixelWidth === 0 ||
    t.pixelHeight === 0
  ) {
    throw new InputError("E_INPUT_FORMAT", path, "invalid geo-transform (zero or non-finite pixel size)");
  }
  return t;
}

/** "YYYY:MM:DD HH:MM:SS" (no time zone in TIFF; taken as UTC) to ISO-8601, or null. */
export function parseTiffDateTime(value: string): string | null {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (m === null) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** Rejects a file whose strip or tile data would run past its end (a cut-off download). */
async function checkBlocksWithinFile(path: string, image: GeoTIFFImage, fileSize: number): Promise<void> {
  const dir = image.fileDirectory;
  const tiled = dir.hasTag("TileOffsets");
  const offsets = (await dir.loadValue(tiled ? "TileOffsets" : "StripOffsets")) as
    ArrayLike<number> | undefined;
  const counts = (await dir.loadValue(tiled ? "TileByteCounts" : "StripByteCounts")) as
    ArrayLike<number> | undefined;
  if (offsets === undefined || counts === undefined || offsets.length !== counts.length) {
    throw new InputError("E_INPUT_FORMAT", path, `TIFF has no valid ${tiled ? "tile" : "strip"} offsets`);
  }
  let end = 0;
  for (let i = 0; i < offsets.length; i++) {
    // Sparse blocks (count 0) hold no data and decode as nodata.
    if (counts[i] > 0) end = Math.max(end, Number(offsets[i]) + Number(counts[i]));
  }
  if (end > fileSize) {
    throw new InputError(
      "E_INPUT_TRUNCATED",
      path,
      `file is truncated: image data ends at byte ${end} but the file has ${fileSize} bytes`,
    );
  }
}

function wrapGeotiffError(path: string, err: unknown, what: string): InputError {
  const message = err instanceof Error ? err.message : String(err);
  const truncated =
    err instanceof RangeError ||
    /outside the bounds|out of range|unexpected end|premature end/i.test(message);
  return truncated
    ? new InputError("E_INPUT_TRUNCATED", path, `file is truncated: ${what} (${message})`, { cause: err })
    : new InputError("E_INPUT_UNREADABLE", path, `${what}: ${message}`, { cause: err });
}
