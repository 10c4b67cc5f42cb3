/**
 * An in-memory RasterSource over a pixel-interleaved float32 array: for tests, fakes and
 * rasters computed by the pipeline itself.
 */
import type { PixelWindow, RasterInfo, RasterSource, ReadOptions } from "./types.js";
import { copyBlockInto, intersectWindow, validateWindow } from "./window.js";

export class MemorySource implements RasterSource {
  readonly info: RasterInfo;
  private readonly pixels: Float32Array;

  /** `pixels`: float32, pixel-interleaved, row-major, length info.width * info.height * info.bands. */
  constructor(info: RasterInfo, pixels: Float32Array) {
    if (pixels.length !== info.width * info.height * info.bands) {
      throw new RangeError(
        `Expected ${info.width * info.height * info.bands} pixels for ${info.path} but received ${pixels.length}`,
      );
    }
    this.info = info;
    this.pixels = pixels;
  }

  async readWindow(window: PixelWindow, options: ReadOptions = {}): Promise<Float32Array> {
    validateWindow(window);
    options.signal?.throwIfAborted();
    const { width, height, bands, nodata } = this.info;
    const out = new Float32Array(window.width * window.height * bands).fill(NaN);
    const inner = intersectWindow(window, width, height);
    if (inner === null) return out;
    const rowLen = inner.width * bands;
    const block = new Float32Array(rowLen * inner.height);
    for (let r = 0; r < inner.height; r++) {
      const start = ((inner.y + r) * width + inner.x) * bands;
      block.set(this.pixels.subarray(start, start + rowLen), r * rowLen);
    }
    copyBlockInto(block, inner, out, window, bands, nodata === null ? null : Math.fround(nodata));
    return out;
  }

  async close(): Promise<void> {}
}
