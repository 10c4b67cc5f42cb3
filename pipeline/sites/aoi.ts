/**
 * A site's area of interest (AOI) as geometry: its lon/lat ring, whether an image's
 * footprint covers it, and the window of an image's pixels that holds it.
 */
import type { Aoi } from "../../config/site-schema.js";
import { lonLatToPixel } from "../align/crs.js";
import { pointInRing } from "../core/polygon-fill.js";
import type { PixelWindow, RasterInfo } from "../raster/types.js";

/** The AOI as a closed WGS84 [lon, lat] ring. */
export function aoiRing(aoi: Aoi): [number, number][] {
  if (aoi.type === "Polygon") return aoi.coordinates[0].map(([lon, lat]) => [lon, lat]);
  const [w, s, e, n] = aoi.bbox;
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}

/**
 * True when every vertex of the AOI lies inside the footprint: the image shows the whole
 * area, so a scan of it is comparable with the scans before it.
 */
export function coversAoi(footprint: readonly [number, number][] | null, aoi: Aoi): boolean {
  if (footprint === null) return false;
  return aoiRing(aoi).every(([lon, lat]) => pointInRing(footprint, lon, lat));
}

/**
 * The smallest window of `info`'s pixels that holds the AOI, clipped to the image; null when
 * the image has no geo-reference or the AOI misses it.
 */
export function aoiWindow(info: RasterInfo, aoi: Aoi): PixelWindow | null {
  const toPixel = lonLatToPixel(info);
  if (toPixel === null) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [lon, lat] of aoiRing(aoi)) {
    const [px, py] = toPixel(lon, lat);
    minX = Math.min(minX, px);
    maxX = Math.max(maxX, px);
    minY = Math.min(minY, py);
    maxY = Math.max(maxY, py);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const y0 = Math.max(0, Math.floor(minY));
  const x1 = Math.min(info.width, Math.ceil(maxX));
  const y1 = Math.min(info.height, Math.ceil(maxY));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
