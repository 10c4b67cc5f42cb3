/**
 * A run's status as API clients see it, read from its pair job (planning) and its assemble
 * job (waiting for the tiles, then assembling): one state, tile progress, the failure
 * reason, and where the outputs are once it completed.
 */
import type { Job } from "bullmq";
import type { PairJobResult } from "../workers/pair-processor.js";
import type { RunQueues } from "../workers/run-queues.js";
import type { z } from "zod";
import type { jobStatusSchema } from "./schemas.js";

export type JobStatus = z.infer<typeof jobStatusSchema>;

/** The status of job `runKey`, or null when there is no such job. */
export async function jobStatus(queues: RunQueues, runKey: string): Promise<JobStatus | null> {
  const pair = await queues.pair.getJob(runKey);
  if (!pair) return null;
  const data = pair.data as { runId: string; site: string | null };
  const status: JobStatus = {
    jobId: runKey,
    runId: data.runId,
    site: data.site ?? null,
    state: "queued",
    progress: { tilesDone: 0, tilesTotal: null },
    failedReason: null,
    submittedAt: new Date(pair.timestamp).toISOString(),
    finishedAt: null,
    links: null,
  };
  const pairState = await pair.getState();
  if (pairState === "failed") return finished(status, "failed", pair);
  if (pairState !== "completed") {
    status.state = pairState === "active" ? "planning" : "queued";
    return status;
  }
  const planned = pair.returnvalue as PairJobResult | undefined;
  status.progress.tilesTotal = planned?.tiles ?? null;
  const assemble = await queues.assemble.getJob(runKey);
  if (!assemble) return { ...status, state: "running" };
  const counts = await assemble.getDependenciesCount({ processed: true });
  status.progress.tilesDone = counts.processed ?? 0;
  const state = await assemble.getState();
  if (state === "failed") return finished(status, "failed", assemble);
  if (state === "completed") {
    status.progress.tilesDone = status.progress.tilesTotal ?? status.progress.tilesDone;
    const run = `/v1/runs/${data.runId}`;
    return {
      ...finished(status, "completed", assemble),
      links: { run, detections: `${run}/detections.geojson`, report: `${run}/report.html` },
    };
  }
  status.state = state === "waiting-children" ? "running" : "assembling";
  return status;
}

function finished(status: JobStatus, state: "failed" | "completed", job: Job): JobStatus {
  return {
    ...status,
    state,
    failedReason: state === "failed" ? (job.failedReason ?? "unknown") : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
