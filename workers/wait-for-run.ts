/**
 * Following a submitted run to its end: the pair job (planning), then the tile jobs'
 * progress events, then the assemble job, whose return value is the run's summary.
 */
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { ChangewatchError } from "../pipeline/errors.js";
import type { AssembleJobResult } from "./assemble-processor.js";
import { tileJobId } from "./job-catalogue.js";
import type { PairJobResult } from "./pair-processor.js";
import type { RunQueues } from "./run-queues.js";

export interface RunProgressEvent {
  stage: "plan" | "tiles" | "assemble";
  done: number;
  total: number;
}

/** A run that failed: the reason is the failing job's, a tile's when a tile failed. */
export class RunFailedError extends ChangewatchError {
  constructor(
    readonly runKey: string,
    readonly reason: string,
  ) {
    super("E_ARGUMENT", `run ${runKey} failed: ${reason}`);
  }
}

export async function waitForRun(
  queues: RunQueues,
  connection: Redis,
  runKey: string,
  onProgress: (progress: RunProgressEvent) => void = () => undefined,
): Promise<AssembleJobResult> {
  const opts = { connection, prefix: queues.settings.prefix };
  const events = {
    pair: new QueueEvents(queues.pair.name, opts),
    tile: new QueueEvents(queues.tile.name, opts),
    assemble: new QueueEvents(queues.assemble.name, opts),
  };
  try {
    await Promise.all(Object.values(events).map((e) => e.waitUntilReady()));
    // Tile progress, in percent per tile job, summed into tiles done.
    const tilePercent = new Map<string, number>();
    let total = 0;
    let tileFailure: string | undefined;
    const ownTile = (jobId: string) => jobId.startsWith(`${runKey}-t`);
    const report = () => {
      let sum = 0;
      for (const p of tilePercent.values()) sum += p;
      onProgress({ stage: "tiles", done: Math.floor(sum / 100), total });
    };
    events.tile.on("progress", ({ jobId, data }) => {
      if (!ownTile(jobId) || typeof data !== "number") return;
      tilePercent.set(jobId, Math.max(tilePercent.get(jobId) ?? 0, data));
      if (total > 0) report();
    });
    events.tile.on("failed", ({ jobId, failedReason }) => {
      if (ownTile(jobId)) tileFailure = `tile ${jobId}: ${failedReason}`;
    });

    onProgress({ stage: "plan", done: 0, total: 1 });
    const pairJob = await queues.pair.getJob(runKey);
    if (!pairJob) throw new RunFailedError(runKey, "no such run in the queue");
    const planned = (await pairJob.waitUntilFinished(events.pair).catch((err: Error) => {
      throw new RunFailedError(runKey, err.message);
    })) as PairJobResult;
    total = planned.tiles;
    // Tiles that finished before we listened: count them from the queue.
    const done = await Promise.all(
      Array.from({ length: total }, (_, i) => queues.tile.getJob(tileJobId(runKey, i))),
    );
    for (const job of done) if (job?.finishedOn && !job.failedReason) tilePercent.set(job.id!, 100);
    report();

    const assembleJob = await queues.assemble.getJob(runKey);
    if (!assembleJob) throw new RunFailedError(runKey, "the run's assemble job is missing");
    const result = (await assembleJob.waitUntilFinished(events.assemble).catch((err: Error) => {
      throw new RunFailedError(runKey, tileFailure ?? err.message);
    })) as AssembleJobResult;
    onProgress({ stage: "assemble", done: 1, total: 1 });
    return result;
  } finally {
    await Promise.all(Object.values(events).map((e) => e.close()));
  }
}
