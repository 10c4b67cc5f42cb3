/**
 * The bench's input pairs: large deterministic before/after scenes (fields, roads of
 * buildings with shadows, new buildings and a radiometric change on the later date),
 * written once with the project's GeoTIFF writer and cached outside the repository.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

import { writeGeoTiff } from "../pipeline/raster/geotiff-writer.js";
import { hash2, valueNoise } from "../samples/scene-kit.js";

export type BenchSampleType = "uint8" | "uint16";
export type BenchLayout = "none" | "deflate";

export interface PairSpec {
  sizePx: number;
  sampleType: BenchSampleType;
  layout: BenchLayout;
}

export interface PairFiles {
  before: string;
  after: string;
}

/** Bumped whenever the scene or the file layout changes, so stale caches are not reused. */
const SCENE_VERSION = 2;
/** Buildings sit on a lattice of cells this many pixels wide, at most one per cell. */
const CELL_PX = 96;
/** Share of the cells whose building is new on the after date. */
const NEW_SHARE = 0.15;
/** DEFLATE files are tiled like a COG; uncompressed ones use strips, as most exports do. */
const TILE_PX = 256;

export function cacheDir(): string {
  return (
    process.env.CHANGEWATCH_BENCH_CACHE ?? join(homedir(), ".cache", "changewatch-bench", `v${SCENE_VERSION}`)
  );
}

export function pairName(spec: PairSpec): string {
  const bands = spec.sampleType === "uint8" ? 3 : 4;
  return `${spec.sizePx}px-${bands}x${spec.sampleType}-${spec.layout}`;
}

export function pairFiles(spec: PairSpec): PairFiles {
  const base = join(cacheDir(), pairName(spec));
  return { before: `${base}-before.tif`, after: `${base}-after.tif` };
}

/**
 * Makes the pair's two files unless they are cached. Both layouts of a size and sample
 * type are written from one render, so they hold the same pixels. Returns the seconds spent.
 */
export async function ensurePair(spec: PairSpec): Promise<number> {
  const files = pairFiles(spec);
  if (existsSync(files.before) && existsSync(files.after)) return 0;
  await mkdir(cacheDir(), { recursive: true });
  const started = performance.now();
  for (const date of ["before", "after"] as const) {
    const pixels = renderScene(spec.sizePx, spec.sampleType, date === "after");
    for (const layout of ["none", "deflate"] as const) {
      const path = pairFiles({ ...spec, layout })[date];
      if (existsSync(path)) continue;
      await writeGeoTiff(path, pixels, {
        width: spec.sizePx,
        height: spec.sizePx,
        bands: spec.sampleType === "uint8" ? 3 : 4,
        sampleType: spec.sampleType,
        compression: layout === "deflate" ? "deflate" : "none",
        predictor: layout === "deflate" && spec.sampleType === "uint16" ? 2 : 1,
        tileSizePx: layout === "deflate" ? TILE_PX : undefined,
        // UTM 52N at 0.5 m: the vhr profile, as for the Hyesan sample.
        epsg: 32652,
        transform: { originX: 400000, originY: 4580000, pixelWidth: 0.5, pixelHeight: -0.5 },
        dateTime: date === "before" ? "2023:05:01 02:00:00" : "2024:05:03 02:00:00",
      });
    }
  }
  return (performance.now() - started) / 1000;
}

/**
 * Renders one date: R, G, B (uint8, 0-255) or R, G, B, NIR (uint16, 12-bit style
 * 0-4000), pixel-interleaved. Land cover blends vegetation and bare soil by smooth noise;
 * buildings are bright rectangles with a shadow to the south-east; the after date adds new
 * buildings, a gain and offset and fresh sensor noise.
 */
function renderScene(size: number, sampleType: BenchSampleType, after: boolean): Uint8Array | Uint16Array {
  const bands = sampleType === "uint8" ? 3 : 4;
  const full = sampleType === "uint8" ? 255 : 4000;
  const out =
    sampleType === "uint8" ? new Uint8Array(size * size * bands) : new Uint16Array(size * size * bands);
  const gain = after ? 1.08 : 1;
  const offset = after ? 0.02 : 0;
  const noiseSeed = after ? 2 : 1;
  const veg = [0.08, 0.16, 0.06, 0.45];
  const soil = [0.32, 0.28, 0.22, 0.36];
  const roof = [0.62, 0.6, 0.58, 0.66];
  const px = [0, 0, 0, 0];
  for (let y = 0; y < size; y++) {
    const cy = Math.floor(y / CELL_PX);
    for (let x = 0; x < size; x++) {
      const cx = Math.floor(x / CELL_PX);
      const cover = valueNoise(x / 300, y / 300, 7);
      const t = cover < 0.4 ? 0 : cover > 0.6 ? 1 : (cover - 0.4) / 0.2;
      for (let b = 0; b < 4; b++) px[b] = veg[b] + (soil[b] - veg[b]) * t;
      const kind = buildingAt(cx, cy, x - cx * CELL_PX, y - cy * CELL_PX, after);
      if (kind === 1) for (let b = 0; b < 4; b++) px[b] = roof[b];
      else if (kind === 2) for (let b = 0; b < 4; b++) px[b] *= 0.35;
      const k = (y * size + x) * bands;
      for (let b = 0; b < bands; b++) {
        const noise = (hash2(x, y, noiseSeed * 16 + b) - 0.5) * 0.03;
        const v = (px[b] * gain + offset + noise) * full;
        out[k + b] = v < 0 ? 0 : v > full ? full : Math.round(v);
      }
    }
  }
  return out;
}

/** 0 for open ground, 1 for a roof, 2 for its shadow at local cell position (lx, ly). */
function buildingAt(cx: number, cy: number, lx: number, ly: number, after: boolean): number {
  const r = hash2(cx, cy, 11);
  if (r > 0.7) return 0;
  if (!after && r < 0.7 * NEW_SHARE) return 0;
  const w = 16 + Math.floor(hash2(cx, cy, 12) * 40);
  const h = 16 + Math.floor(hash2(cx, cy, 13) * 40);
  const x0 = 8 + Math.floor(hash2(cx, cy, 14) * (CELL_PX - w - 20));
  const y0 = 8 + Math.floor(hash2(cx, cy, 15) * (CELL_PX - h - 20));
  if (lx >= x0 && lx < x0 + w && ly >= y0 && ly < y0 + h) return 1;
  if (lx >= x0 + 6 && lx < x0 + w + 6 && ly >= y0 + 6 && ly < y0 + h + 6) return 2;
  return 0;
}
