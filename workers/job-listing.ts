/** Recent jobs across the pair, tile and assemble queues, newest first, for `changewatch jobs`. */
import type { JobState } from "bullmq";
import { JOB_NAMES, type JobName } from "./job-catalogue.js";
import type { RunQueues } from "./run-queues.js";

export interface JobRow {
  queue: JobName;
  id: string;
  state: JobState;
  progress: string;
  /** Attempts started over attempts allowed. */
  attempts: string;
  /** When the job was added, finished or last started, ms since the epoch. */
  updatedMs: number;
  failedReason: string;
}

export interface ListJobsOptions {
  /** Only failed jobs. */
  failed?: boolean;
  /** Rows at most. @defaultValue 20 */
  limit?: number;
}

const STATES: JobState[] = [
  "active",
  "waiting",
  "waiting-children",
  "prioritized",
  "delayed",
  "failed",
  "completed",
];

function progressText(progress: unknown): string {
  if (typeof progress === "number") return progress > 0 ? `${progress}%` : "";
  return progress && typeof progress === "object" ? JSON.stringify(progress) : "";
}

export async function listJobs(queues: RunQueues, options: ListJobsOptions = {}): Promise<JobRow[]> {
  const limit = options.limit ?? 20;
  const rows: JobRow[] = [];
  for (const name of JOB_NAMES) {
    for (const state of options.failed ? (["failed"] as JobState[]) : STATES) {
      // Completed tiles are many and say little; a run's assemble job stands for them.
      if (name === "tile" && state === "completed") continue;
      const jobs = await queues.queue(name).getJobs([state], 0, limit - 1, false);
      for (const job of jobs) {
        if (!job?.id) continue;
        rows.push({
          queue: name,
          id: job.id,
          state: state as JobState,
          progress: progressText(job.progress),
          attempts: `${job.attemptsStarted ?? job.attemptsMade}/${job.opts.attempts ?? 1}`,
          updatedMs: job.finishedOn ?? job.processedOn ?? job.timestamp,
          failedReason: job.failedReason ?? "",
        });
      }
    }
  }
  return rows.sort((a, b) => b.updatedMs - a.updatedMs).slice(0, limit);
}
