/**
 * Submitting a pair: the job id is the run id (a hash of the inputs and the settings that
 * shape results), so submitting the same pair twice finds the first job instead of adding
 * a second; `force` adds a fresh suffix to run it again.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Job } from "bullmq";
import type { Settings } from "../config/schema.js";
import type { PixelWindow } from "../pipeline/raster/types.js";
import { resultParameters } from "../pipeline/run/local-runner.js";
import { runIdFor } from "../pipeline/run/run-id.js";
import { runParameters, type JobPayload } from "./job-catalogue.js";
import type { RunQueues } from "./run-queues.js";

export interface SubmitOptions {
  before: string;
  after: string;
  site?: string;
  profileName?: string;
  gsdM?: number;
  /** Compare only this window of the before image, in before pixels (a site's area of interest). */
  windowPx?: PixelWindow;
  /** A learned re-scorer file (changewatch train), readable by the workers. */
  modelPath?: string;
  /** Run again even if this pair was processed with these settings before. */
  force?: boolean;
}

export interface Submission {
  runId: string;
  /** The id of the run's pair and assemble jobs. */
  runKey: string;
  /** True when an earlier submission of the same run was found and nothing was added. */
  duplicate: boolean;
  /** The pair job's state right after submission. */
  state: string;
  job: Job;
}

/** Workers may run elsewhere: local inputs travel as absolute paths (shared volume), URLs as they are. */
function reference(path: string): string {
  return /^https?:\/\//.test(path) ? path : resolve(path);
}

export async function submitRun(
  queues: RunQueues,
  settings: Settings,
  options: SubmitOptions,
): Promise<Submission> {
  const before = reference(options.before);
  const after = reference(options.after);
  const runId = runIdFor(before, after, resultParameters({ settings, ...options }));
  const runKey = options.force ? `run-${runId}-${randomBytes(4).toString("hex")}` : `run-${runId}`;
  const existing = await queues.pair.getJob(runKey);
  if (existing) return { runId, runKey, duplicate: true, state: await existing.getState(), job: existing };
  const data: JobPayload<"pair"> = {
    runId,
    runKey,
    before,
    after,
    site: options.site ?? null,
    profileName: options.profileName ?? null,
    gsdM: options.gsdM ?? null,
    windowPx: options.windowPx ?? null,
    modelPath: options.modelPath ? resolve(options.modelPath) : null,
    parameters: runParameters(settings),
  };
  const job = await queues.pair.add("pair", data, queues.jobOptions("pair", runKey));
  return { runId, runKey, duplicate: false, state: await job.getState(), job };
}
