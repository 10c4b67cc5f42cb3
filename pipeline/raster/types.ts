/**
 * The raster model every stage shares: what an opened image says about itself (RasterInfo)
 * and how pixels are read from it (RasterSource). Pixels always arrive as float32,
 * pixel-interleaved, row-major: index (row * width + col) * bands + band.
 */

export type SampleType = "uint8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";

/**
 * North-up affine geo-transform (no rotation terms):
 * x = originX + col * pixelWidth, y = originY + row * pixelHeight (pixelHeight is usually negative).
 * Coordinates refer to the pixel's top-left corner, in the units of the CRS.
 */
export interface GeoTransform {
  originX: number;
  originY: number;
  pixelWidth: number;
  pixelHeight: number;
}

export type RasterFormat = "geotiff" | "png" | "jpeg";

export interface RasterInfo {
  /** The path or URL the raster was opened from (used in every error message). */
  path: string;
  format: RasterFormat;
  width: number;
  height: number;
  bands: number;
  sampleType: SampleType;
  /** Value marking missing pixels in the file, or null when the file declares none. */
  nodata: number | null;
  /** EPSG code of the CRS, or null for plain images in pixel space. */
  epsg: number | null;
  /** Geo-transform, or null for images with no geo-reference. */
  transform: GeoTransform | null;
  /** ISO-8601 acquisition time from the TIFF DateTime tag, when present. */
  acquiredAt: string | null;
}

/** A rectangle in pixel coordinates of one raster. */
export interface PixelWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
}

export interface RasterSource {
  readonly info: RasterInfo;
  /**
   * Reads a window as float32, pixel-interleaved, length width*height*bands. The window may
   * extend past the image; pixels outside it, and nodata pixels, are NaN.
   */
  readWindow(window: PixelWindow, options?: ReadOptions): Promise<Float32Array>;
  close(): Promise<void>;
}
