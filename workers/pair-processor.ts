/**
 * The pair job: plans the pair (common grid, shift, pair-wide statistics, tiles) with the
 * same planPair as `detect`, stores the plan as plan.json in the run's work folder, and adds
 * the run's flow: one assemble parent with one tile child per tile, each carrying the
 * plan's path, never pixels.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import type { Job } from "bullmq";
import type { Settings } from "../config/schema.js";
import { closePair, openPair, planPair } from "../pipeline/run/plan-pair.js";
import { parsePayload, tileJobId, type JobPayload } from "./job-catalogue.js";
import { withJobErrors } from "./job-errors.js";
import { runPaths } from "./run-paths.js";
import type { RunQueues } from "./run-queues.js";

export interface PairJobResult {
  runId: string;
  runKey: string;
  tiles: number;
  planPath: string;
}

export function pairProcessor(settings: Settings, queues: RunQueues) {
  return async (job: Job): Promise<PairJobResult> => {
    const data = parsePayload("pair", job);
    return withJobErrors(() => planRun(data, settings, queues));
  };
}

async function planRun(
  data: JobPayload<"pair">,
  workerSettings: Settings,
  queues: RunQueues,
): Promise<PairJobResult> {
  const settings: Settings = { ...workerSettings, ...data.parameters };
  const paths = runPaths(settings.dataDir, data.runId, data.runKey);
  const t0 = performance.now();
  const pair = await openPair(data.before, data.after, settings);
  const t1 = performance.now();
  let plan;
  try {
    plan = await planPair(pair, {
      settings,
      profileName: data.profileName ?? undefined,
      gsdM: data.gsdM ?? undefined,
      windowPx: data.windowPx ?? undefined,
      modelPath: data.modelPath ?? undefined,
    });
  } finally {
    await closePair(pair);
  }
  const timingsMs = { open: Math.round(t1 - t0), plan: Math.round(performance.now() - t1) };

  await mkdir(paths.workDir, { recursive: true });
  const staged = `${paths.planPath}.${process.pid}.partial`;
  await writeFile(staged, JSON.stringify(plan));
  await rename(staged, paths.planPath);

  // A pair job retaken after its worker died may find its flow already added.
  if (!(await queues.assemble.getJob(data.runKey))) {
    await queues.flow.add({
      name: "assemble",
      queueName: queues.assemble.name,
      data: {
        runId: data.runId,
        runKey: data.runKey,
        site: data.site,
        planPath: paths.planPath,
        workDir: paths.workDir,
        outDir: paths.outDir,
        parameters: data.parameters,
        timingsMs,
      } satisfies JobPayload<"assemble">,
      opts: queues.jobOptions("assemble", data.runKey),
      children: plan.tiles.tiles.map((tile) => ({
        name: "tile",
        queueName: queues.tile.name,
        data: {
          runId: data.runId,
          runKey: data.runKey,
          tileIndex: tile.index,
          planPath: paths.planPath,
          workDir: paths.workDir,
          maxPixels: settings.maxPixels,
          maxBands: settings.maxBands,
        } satisfies JobPayload<"tile">,
        // A tile that fails for good fails the run, so nobody waits for an assembly that cannot come.
        opts: { ...queues.jobOptions("tile", tileJobId(data.runKey, tile.index)), failParentOnFailure: true },
      })),
    });
  }
  return { runId: data.runId, runKey: data.runKey, tiles: plan.tiles.tiles.length, planPath: paths.planPath };
}
