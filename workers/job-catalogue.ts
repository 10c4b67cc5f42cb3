/**
 * The job catalogue: every job name changewatch queues, the queue it runs on and the zod
 * schema of its payload. Payloads carry paths, ids and parameters, never pixels; each
 * processor parses its payload here, at the worker boundary, before doing any work.
 */
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import { formatIssues } from "../config/load.js";
import { settingsSchema, type Settings } from "../config/schema.js";

/**
 * The settings that shape results, carried by the job so every worker computes with the
 * submitter's numbers. Where data lives and how the queue behaves stay each worker's own.
 */
export const runParametersSchema = settingsSchema.omit({
  dataDir: true,
  redisUrl: true,
  queue: true,
  sitesFile: true,
  scanPollMs: true,
});
export type RunParameters = z.infer<typeof runParametersSchema>;

/** The result-shaping part of resolved settings. */
export function runParameters(settings: Settings): RunParameters {
  return runParametersSchema.strip().parse(settings);
}

const runRef = {
  runId: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits"),
  /** The job id of the run: `run-<runId>`, with a suffix when forced. */
  runKey: z.string().regex(/^run-[0-9a-f]{16}(-[0-9a-z]+)?$/),
};

export const pairPayloadSchema = z.strictObject({
  ...runRef,
  before: z.string().min(1).describe("Absolute path or http(s) URL of the earlier image"),
  after: z.string().min(1).describe("Absolute path or http(s) URL of the later image"),
  site: z.string().min(1).nullable().describe("Watched site the pair belongs to, if any"),
  profileName: z.string().min(1).nullable(),
  gsdM: z.number().positive().nullable(),
  windowPx: z
    .strictObject({
      x: z.int().min(0),
      y: z.int().min(0),
      width: z.int().positive(),
      height: z.int().positive(),
    })
    .nullable()
    .default(null)
    .describe("Compare only this window of the before image (a site's area of interest)"),
  modelPath: z.string().min(1).nullable().describe("Learned re-scorer file the workers can read, if any"),
  parameters: runParametersSchema,
});

export const tilePayloadSchema = z.strictObject({
  ...runRef,
  tileIndex: z.int().min(0),
  planPath: z.string().min(1).describe("plan.json in the run's work folder"),
  workDir: z.string().min(1),
  maxPixels: z.int().positive(),
  maxBands: z.int().positive(),
});

export const assemblePayloadSchema = z.strictObject({
  ...runRef,
  site: z.string().min(1).nullable(),
  planPath: z.string().min(1),
  workDir: z.string().min(1),
  outDir: z.string().min(1).describe("runs/<runId> under the data folder"),
  parameters: runParametersSchema,
  timingsMs: z.record(z.string(), z.number()),
});

/** Scan a watched site now: pick the next pair from its imagery source and submit it. */
export const scanPayloadSchema = z.strictObject({
  siteId: z.string().min(1).describe("A site of the worker's sites file"),
});

/** Follow a scan's run to its end, then record it in the site's history. */
export const scanRecordPayloadSchema = z.strictObject({
  siteId: z.string().min(1),
  runId: runRef.runId,
  runKey: runRef.runKey,
});

export const jobCatalogue = {
  pair: { queue: "pair", payload: pairPayloadSchema },
  tile: { queue: "tile", payload: tilePayloadSchema },
  assemble: { queue: "assemble", payload: assemblePayloadSchema },
  scan: { queue: "scan", payload: scanPayloadSchema },
  "scan-record": { queue: "scan-record", payload: scanRecordPayloadSchema },
} as const;

export type JobName = keyof typeof jobCatalogue;
export const JOB_NAMES = Object.keys(jobCatalogue) as JobName[];
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalogue)[N]["payload"]>;

/** One queued job as a discriminated union on its name. */
export type CatalogueJob = { [N in JobName]: { name: N; data: JobPayload<N> } }[JobName];

/**
 * Checks a job against the catalogue. A payload that does not match can never succeed, so
 * it fails the job without retries, naming the fields at fault.
 */
export function parsePayload<N extends JobName>(
  name: N,
  job: { name: string; data: unknown },
): JobPayload<N> {
  if (job.name !== name) {
    throw new UnrecoverableError(`job "${job.name}" reached the ${name} processor; it has no handler here`);
  }
  const parsed = jobCatalogue[name].payload.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid ${name} job payload: ${formatIssues(parsed.error)}`);
  }
  return parsed.data as JobPayload<N>;
}

/** The id of the tile job `index` of a run. */
export function tileJobId(runKey: string, index: number): string {
  return `${runKey}-t${index}`;
}
