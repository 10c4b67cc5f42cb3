/**
 * Tile plans: the area to process is cut into cores of tileSizePx, each read with a halo
 * wide enough that the mask inside the core equals the mask of a whole-image run.
 */
import type { PixelWindow } from "../raster/types.js";

export interface Tile {
  index: number;
  /** Grid position, for finding neighbours across seams. */
  col: number;
  row: number;
  /** The pixels this tile is responsible for, in before-image pixel coordinates. */
  core: PixelWindow;
  /** The core grown by the halo and clipped to the processed area: what the tile reads. */
  window: PixelWindow;
}

export interface TilePlan {
  area: PixelWindow;
  tileSizePx: number;
  haloPx: number;
  cols: number;
  rows: number;
  tiles: Tile[];
}

/** Cuts `area` into a grid of tiles with cores of at most tileSizePx and halos of haloPx. */
export function planTiles(area: PixelWindow, tileSizePx: number, haloPx: number): TilePlan {
  if (!Number.isInteger(tileSizePx) || tileSizePx < 1) {
    throw new RangeError(`Expected positive integer for tileSizePx but received ${tileSizePx}`);
  }
  if (!Number.isInteger(haloPx) || haloPx < 0) {
    throw new RangeError(`Expected non-negative integer for haloPx but received ${haloPx}`);
  }
  const cols = Math.max(1, Math.ceil(area.width / tileSizePx));
  const rows = Math.max(1, Math.ceil(area.height / tileSizePx));
  const tiles: Tile[] = [];
  const right = area.x + area.width;
  const bottom = area.y + area.height;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = area.x + col * tileSizePx;
      const y = area.y + row * tileSizePx;
      const core = { x, y, width: Math.min(tileSizePx, right - x), height: Math.min(tileSizePx, bottom - y) };
      const wx0 = Math.max(area.x, x - haloPx);
      const wy0 = Math.max(area.y, y - haloPx);
      const wx1 = Math.min(right, core.x + core.width + haloPx);
      const wy1 = Math.min(bottom, core.y + core.height + haloPx);
      tiles.push({
        index: tiles.length,
        col,
        row,
        core,
        window: { x: wx0, y: wy0, width: wx1 - wx0, height: wy1 - wy0 },
      });
    }
  }
  return { area, tileSizePx, haloPx, cols, rows, tiles };
}

/**
 * The halo a tile needs so its core mask is exact: 1 px for the Sobel gradient, the score
 * smoothing radius, twice each morphology radius (erosion then dilation), plus one spare.
 */
export function requiredHaloPx(
  smoothingRadiusPx: number,
  openingRadiusPx: number,
  closingRadiusPx: number,
): number {
  return 1 + smoothingRadiusPx + 2 * openingRadiusPx + 2 * closingRadiusPx + 1;
}
