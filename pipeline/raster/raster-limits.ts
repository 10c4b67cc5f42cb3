/**
 * Explicit limits for untrusted input: an image is refused at open, before any pixel is
 * decoded, when its header declares more pixels or bands than the caller allows.
 */
import { InputError } from "../errors.js";

export interface OpenRasterOptions {
  /**
   * Most pixels (width * height) one image may have.
   * @defaultValue 1e9
   */
  maxPixels?: number;
  /**
   * Most bands one image may have.
   * @defaultValue 32
   */
  maxBands?: number;
  /** Aborts opening (and, for URLs, the header requests). */
  signal?: AbortSignal;
}

export const DEFAULT_MAX_PIXELS = 1e9;
export const DEFAULT_MAX_BANDS = 32;

/** Throws E_INPUT_TOO_LARGE when the declared size exceeds the limits. */
export function checkRasterSize(
  file: string,
  width: number,
  height: number,
  bands: number,
  options: OpenRasterOptions = {},
): void {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxBands = options.maxBands ?? DEFAULT_MAX_BANDS;
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw new InputError(
      "E_INPUT_TOO_LARGE",
      file,
      `image is ${width} x ${height} = ${pixels} pixels, more than the limit of ${maxPixels}`,
    );
  }
  if (bands > maxBands) {
    throw new InputError(
      "E_INPUT_TOO_LARGE",
      file,
      `image has ${bands} bands, more than the limit of ${maxBands}`,
    );
  }
}
