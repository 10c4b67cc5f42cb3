/**
 * The in-process runner: plan the pair, run every tile here, assemble. It shares
 * planPair, runTile and assembleRun with the queue runner, so both give the same detections.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Settings } from "../../config/schema.js";
import type { PixelWindow } from "../raster/types.js";
import { assembleRun, type RunResult } from "./assemble.js";
import { closePair, openPair, planPair } from "./plan-pair.js";
import { runIdFor } from "./run-id.js";
import { runTile, type TileResult } from "./run-tile.js";
import { TilePool } from "./tile-pool.js";

export type RunStage = "plan" | "tiles" | "assemble";

export interface RunProgress {
  stage: RunStage;
  done: number;
  total: number;
}

export interface LocalRunOptions {
  settings: Settings;
  profileName?: string;
  gsdM?: number;
  /** Compare only this window of the before image (a watched site's area of interest). */
  windowPx?: PixelWindow;
  /** A learned re-scorer file (changewatch train). */
  modelPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/** The parameters that change results; the run id hashes them with the input paths. */
export function resultParameters(
  options: Pick<LocalRunOptions, "settings" | "profileName" | "gsdM" | "windowPx" | "modelPath">,
): unknown {
  const { settings } = options;
  return {
    profiles: settings.profiles,
    profileName: options.profileName ?? null,
    gsdM: options.gsdM ?? null,
    window: options.windowPx ?? null,
    model: options.modelPath ? resolve(options.modelPath) : null,
    shift: [settings.shiftPatchSizePx, settings.shiftPatches],
    sample: [settings.sampleBlocks, settings.sampleBlockSizePx],
  };
}

export async function detectLocal(
  beforePath: string,
  afterPath: string,
  outDir: string,
  options: LocalRunOptions,
): Promise<RunResult> {
  const { settings, signal, onProgress } = options;
  const timingsMs: Record<string, number> = {};
  const t0 = performance.now();
  const lap = (name: string, since: number) => {
    timingsMs[name] = Math.round(performance.now() - since);
    return performance.now();
  };
  onProgress?.({ stage: "plan", done: 0, total: 1 });
  const pair = await openPair(beforePath, afterPath, settings, signal);
  const workDir = await mkdtemp(join(tmpdir(), "changewatch-work-"));
  try {
    let t = lap("open", t0);
    const plan = await planPair(pair, {
      settings,
      profileName: options.profileName,
      gsdM: options.gsdM,
      windowPx: options.windowPx,
      modelPath: options.modelPath,
      signal,
    });
    t = lap("plan", t);
    const total = plan.tiles.tiles.length;
    onProgress?.({ stage: "tiles", done: 0, total });
    const threads = Math.min(availableParallelism(), total);
    let results: TileResult[] = [];
    if (TilePool.usable(threads, total)) {
      let done = 0;
      const limits = { maxPixels: settings.maxPixels, maxBands: settings.maxBands };
      results = await TilePool.run(
        plan,
        { beforePath, afterPath, limits, workDir },
        threads,
        () => onProgress?.({ stage: "tiles", done: ++done, total }),
        signal,
      );
    } else {
      for (const tile of plan.tiles.tiles) {
        signal?.throwIfAborted();
        results.push(await runTile(plan, tile.index, pair, workDir, signal));
        onProgress?.({ stage: "tiles", done: results.length, total });
      }
    }
    lap("tiles", t);
    onProgress?.({ stage: "assemble", done: 0, total: 1 });
    const runId = runIdFor(beforePath, afterPath, resultParameters(options));
    const result = await assembleRun(plan, results, { runId, settings, workDir, outDir, timingsMs });
    onProgress?.({ stage: "assemble", done: 1, total: 1 });
    return result;
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await closePair(pair);
  }
}
