/**
 * One tile: read its window of both images, align and normalise the after window, score
 * it, apply the pair's threshold, clean the mask, label regions and measure the fragments
 * that lie in the tile's core. Rasters (labels, preview) go to the work folder; the result
 * is small JSON.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { labelComponents } from "../core/components.js";
import { close as closeMask, open as openMask } from "../core/morphology.js";
import { measureRegions, type RegionMoments } from "../core/regions.js";
import { EvidenceWorkspace } from "../detect/evidence.js";
import { loadModel } from "../learn/model-file.js";
import { coreEdges, type CoreEdges } from "../tiling/seams.js";
import type { Tile } from "../tiling/tile-plan.js";
import type { PairPlan } from "./pair-plan.js";
import type { OpenPair } from "./plan-pair.js";
import { readAlignedWindow, scoreWindow } from "./window-score.js";

export interface TileFragment {
  label: number;
  moments: RegionMoments;
}

export interface TileResult {
  index: number;
  fragments: TileFragment[];
  edges: CoreEdges;
  /** Core pixels above the threshold after cleaning, and core pixels with data in both images. */
  changedPx: number;
  validPx: number;
  elapsedMs: number;
}

/** Where a tile's rasters live inside a run's work folder. */
export function tileFiles(workDir: string, index: number): { labels: string; preview: string } {
  return {
    labels: join(workDir, "tiles", `${index}.labels.i32`),
    preview: join(workDir, "tiles", `${index}.preview.u8`),
  };
}

/**
 * The quicklook pixels a core owns: every quicklookStepPx-th before pixel (sampled at the
 * step's centre) that falls inside the core. Returns the first and last+1 quicklook indices.
 */
export function previewRange(start: number, length: number, step: number): [number, number] {
  const half = Math.floor(step / 2);
  const first = Math.ceil((start - half) / step);
  const last = Math.ceil((start + length - half) / step);
  return [Math.max(0, first), last];
}

export async function runTile(
  plan: PairPlan,
  tileIndex: number,
  pair: OpenPair,
  workDir: string,
  signal?: AbortSignal,
): Promise<TileResult> {
  const started = performance.now();
  const tile = plan.tiles.tiles[tileIndex];
  if (!tile)
    throw new RangeError(`Expected a tile index below ${plan.tiles.tiles.length} but received ${tileIndex}`);
  const { window } = tile;
  const { stats, profile } = plan;
  const w = window.width;
  const h = window.height;
  const n = w * h;

  const { before, after } = await readAlignedWindow(plan, pair, window, signal);
  const files = tileFiles(workDir, tileIndex);
  await mkdir(join(workDir, "tiles"), { recursive: true });
  await writeFile(files.preview, previewOf(plan, tile, after));

  const ws = new EvidenceWorkspace(n);
  const model = plan.model ? await loadModel(plan.model.path) : null;
  scoreWindow(plan, before, after, w, h, ws, model);

  const mask = new Uint8Array(n);
  const score = ws.score;
  for (let i = 0; i < n; i++) mask[i] = score[i] >= stats.threshold ? 1 : 0;
  const cleaned = cleanMask(mask, w, h, profile.openingRadiusPx, profile.closingRadiusPx);

  const labels = new Int32Array(n);
  const count = labelComponents(cleaned, w, h, labels, 8);
  const core = {
    x: tile.core.x - window.x,
    y: tile.core.y - window.y,
    width: tile.core.width,
    height: tile.core.height,
  };
  const moments = measureRegions(labels, w, h, count, ws.channels(n), core, window.x, window.y);
  const fragments: TileFragment[] = [];
  moments.forEach((m, i) => {
    if (m.area > 0) fragments.push({ label: i + 1, moments: m });
  });

  let changedPx = 0;
  let validPx = 0;
  const coreLabels = new Int32Array(core.width * core.height);
  for (let y = 0; y < core.height; y++) {
    const row = (core.y + y) * w + core.x;
    coreLabels.set(labels.subarray(row, row + core.width), y * core.width);
    for (let x = 0; x < core.width; x++) {
      if (score[row + x] === score[row + x]) validPx++;
      if (cleaned[row + x]) changedPx++;
    }
  }
  await writeFile(files.labels, new Uint8Array(coreLabels.buffer));
  return {
    index: tileIndex,
    fragments,
    edges: coreEdges(labels, tile),
    changedPx,
    validPx,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Opening removes speckle narrower than the structuring element; closing then fills small holes. In place. */
function cleanMask(mask: Uint8Array, w: number, h: number, openR: number, closeR: number): Uint8Array {
  const scratch = new Uint8Array(w * h);
  const tmp = new Uint8Array(w * h);
  if (openR > 0) openMask(mask, w, h, openR, mask, scratch, tmp);
  if (closeR > 0) closeMask(mask, w, h, closeR, mask, scratch, tmp);
  return mask;
}

/** 8-bit display samples of the after image for the quicklook pixels this tile's core owns. */
function previewOf(plan: PairPlan, tile: Tile, after: Float32Array): Uint8Array {
  const step = plan.quicklookStepPx;
  const { displayBands, stretchLow, stretchHigh } = plan.stats;
  const [qx0, qx1] = previewRange(tile.core.x - plan.tiles.area.x, tile.core.width, step);
  const [qy0, qy1] = previewRange(tile.core.y - plan.tiles.area.y, tile.core.height, step);
  const out = new Uint8Array(Math.max(0, qx1 - qx0) * Math.max(0, qy1 - qy0) * 3);
  const half = Math.floor(step / 2);
  const { window } = tile;
  let o = 0;
  for (let qy = qy0; qy < qy1; qy++) {
    const y = plan.tiles.area.y + qy * step + half - window.y;
    for (let qx = qx0; qx < qx1; qx++) {
      const x = plan.tiles.area.x + qx * step + half - window.x;
      const base = (y * window.width + x) * plan.bands;
      for (let c = 0; c < 3; c++) {
        const k = displayBands.length === 3 ? c : 0;
        const v = after[base + displayBands[k]];
        const t = (v - stretchLow[k]) / (stretchHigh[k] - stretchLow[k] || 1);
        out[o++] = v === v ? Math.max(0, Math.min(255, Math.round(t * 255))) : 0;
      }
    }
  }
  return out;
}
