/**
 * Reading the after image on the before grid: fetch the after window a before window
 * needs, then resample it bilinearly through the pair geometry and the residual shift.
 */
import type { PixelWindow, RasterSource } from "../raster/types.js";
import type { PairGeometry } from "./grid.js";
import { afterWindowFor, resampleBilinear, type Shift } from "./resample.js";

/**
 * The after image's pixels for `beforeWindow` of the before grid: float32,
 * pixel-interleaved, row-major, length beforeWindow.width * beforeWindow.height *
 * after.info.bands. Pixels the after image does not cover (or whose samples are nodata) are NaN.
 */
export async function readAligned(
  after: RasterSource,
  geometry: PairGeometry,
  shift: Shift,
  beforeWindow: PixelWindow,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const srcWindow = afterWindowFor(geometry.mapping, beforeWindow, shift);
  const src = await after.readWindow(srcWindow, { signal });
  const bands = after.info.bands;
  const out = new Float32Array(beforeWindow.width * beforeWindow.height * bands);
  resampleBilinear(src, srcWindow, bands, geometry.mapping, shift, beforeWindow, out);
  return out;
}
