/**
 * The folder imagery source: GeoTIFFs dropped into a directory. An acquisition's date comes
 * from its file name (`YYYY-MM-DD*.tif`) or else from its TIFF DateTime tag; its footprint
 * from the geo-reference in its header. Only headers are read.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { pixelToLonLat } from "../align/crs.js";
import { ConfigError } from "../errors.js";
import { openRaster } from "../raster/open-raster.js";
import type { RasterInfo } from "../raster/types.js";
import {
  byAcquisitionTime,
  type Acquisition,
  type AcquisitionList,
  type ImagerySource,
  type SkippedFile,
} from "./imagery-source.js";

const TIFF_NAME = /\.tiff?$/i;
const DATED_NAME = /^(\d{4})-(\d{2})-(\d{2})/;
/** Points per image edge in the footprint: enough to follow a reprojected edge's curve. */
const EDGE_POINTS = 8;

export interface FolderSourceOptions {
  /** Header limits, as for any input. */
  maxPixels: number;
  maxBands: number;
}

/** The date in a `YYYY-MM-DD...` file name, or null when the name has none (or an impossible one). */
export function dateFromName(name: string): string | null {
  const m = DATED_NAME.exec(name);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** The image outline as a closed lon/lat ring, walking the pixel border. */
export function footprint(info: RasterInfo): [number, number][] | null {
  const { convert, geographic } = pixelToLonLat(info);
  if (!geographic) return null;
  const { width: w, height: h } = info;
  const ring: [number, number][] = [];
  const edge = (x0: number, y0: number, x1: number, y1: number) => {
    for (let k = 0; k < EDGE_POINTS; k++) {
      const t = k / EDGE_POINTS;
      ring.push(convert(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t));
    }
  };
  edge(0, 0, w, 0);
  edge(w, 0, w, h);
  edge(w, h, 0, h);
  edge(0, h, 0, 0);
  ring.push(ring[0]);
  return ring;
}

export class FolderSource implements ImagerySource {
  readonly description: string;

  constructor(
    readonly folder: string,
    private readonly options: FolderSourceOptions,
  ) {
    this.description = `folder ${folder}`;
  }

  async list(signal?: AbortSignal): Promise<AcquisitionList> {
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((n) => TIFF_NAME.test(n)).sort();
    } catch (err) {
      throw new ConfigError(
        `${this.folder}: cannot list the imagery folder (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
    const acquisitions: Acquisition[] = [];
    const skipped: SkippedFile[] = [];
    for (const name of names) {
      signal?.throwIfAborted();
      const uri = join(this.folder, name);
      let info: RasterInfo;
      try {
        const source = await openRaster(uri, { ...this.options, signal });
        info = source.info;
        await source.close();
      } catch (err) {
        // A file still being copied in, or a bad one, must not stop the site's other images.
        skipped.push({ id: name, reason: (err as Error).message });
        continue;
      }
      // The tag's time of day refines the name's date when both tell the same day.
      const named = dateFromName(name);
      const acquiredAt = named === null || info.acquiredAt?.startsWith(named) ? info.acquiredAt : named;
      if (acquiredAt === null) {
        skipped.push({ id: name, reason: "no date: name it YYYY-MM-DD*.tif or set its TIFF DateTime tag" });
        continue;
      }
      acquisitions.push({ id: name, uri, acquiredAt, footprint: footprint(info) });
    }
    return { acquisitions: acquisitions.sort(byAcquisitionTime), skipped };
  }
}
