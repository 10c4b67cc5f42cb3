/**
 * The tile job, sandboxed: BullMQ runs this file (compiled to dist/workers/tile-sandbox.js)
 * in a worker thread, because scoring a tile keeps the CPU busy and a busy event loop could
 * not renew the job's lock. It reads only its window of each image through runTile, writes
 * the tile's rasters into the run's work folder and returns the small TileResult.
 */
import { stat, readFile } from "node:fs/promises";
import type { SandboxedJob } from "bullmq";
import type { PairPlan } from "../pipeline/run/pair-plan.js";
import { closePair, openPair, type OpenPair } from "../pipeline/run/plan-pair.js";
import { runTile, type TileResult } from "../pipeline/run/run-tile.js";
import { parsePayload, type JobPayload } from "./job-catalogue.js";
import { withJobErrors } from "./job-errors.js";

/** A thread runs one tile at a time and often the next tile of the same run: keep its plan and open pair. */
let cached: { key: string; plan: PairPlan; pair: OpenPair } | null = null;

async function openRun(
  data: JobPayload<"tile">,
  signal?: AbortSignal,
): Promise<{ plan: PairPlan; pair: OpenPair }> {
  const { mtimeMs } = await stat(data.planPath);
  const key = `${data.planPath}@${mtimeMs}`;
  if (cached?.key === key) return cached;
  if (cached) {
    const old = cached;
    cached = null;
    await closePair(old.pair);
  }
  const plan = JSON.parse(await readFile(data.planPath, "utf8")) as PairPlan;
  const pair = await openPair(
    plan.before.path,
    plan.after.path,
    { maxPixels: data.maxPixels, maxBands: data.maxBands },
    signal,
  );
  cached = { key, plan, pair };
  return cached;
}

export default async function processTile(
  job: SandboxedJob,
  _token?: string,
  signal?: AbortSignal,
): Promise<TileResult> {
  const data = parsePayload("tile", job);
  return withJobErrors(async () => {
    const { plan, pair } = await openRun(data, signal);
    await job.updateProgress(10);
    const result = await runTile(plan, data.tileIndex, pair, data.workDir, signal);
    await job.updateProgress(100);
    return result;
  });
}
