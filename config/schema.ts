/**
 * One zod schema for every changewatch setting. Objects are strict (unknown keys are
 * rejected with their path), every field is described and carries its unit in its name.
 */
import { z } from "zod";

export const detectionProfileSchema = z
  .strictObject({
    name: z.string().min(1),
    minGsdM: z.number().min(0).describe("Smallest pixel size (m) this profile is chosen for"),
    maxGsdM: z.number().positive().describe("Largest pixel size (m) this profile is chosen for"),
    smoothingRadiusPx: z
      .int()
      .min(0)
      .max(8)
      .describe("Box-mean radius applied to the score before thresholding"),
    openingRadiusPx: z
      .int()
      .min(0)
      .max(4)
      .describe("Radius of the square opening that cleans the change mask"),
    closingRadiusPx: z
      .int()
      .min(0)
      .max(4)
      .describe("Radius of the square closing that fills holes in structures"),
    thresholdFloor: z
      .number()
      .positive()
      .describe("Lowest allowed global score threshold, in robust noise units (keeps no-change pairs empty)"),
    thresholdCeiling: z
      .number()
      .positive()
      .describe("Highest allowed global score threshold, in noise units"),
    minAreaM2: z.number().min(0).describe("Regions smaller than this are dropped"),
    maxAreaM2: z.number().positive().describe("Regions larger than this are dropped (whole-scene changes)"),
    weights: z
      .strictObject({
        spectral: z.number().min(0).describe("Weight of the normalised change-vector magnitude"),
        brightness: z.number().min(0).describe("Weight of the brightness change"),
        structure: z.number().min(0).describe("Weight of the gradient (edge) change"),
        vegetation: z.number().min(0).describe("Penalty on change explained by vegetation alone"),
      })
      .describe("How the evidence is combined into the construction score"),
  })
  .refine((p) => p.minGsdM < p.maxGsdM, { message: "minGsdM must be less than maxGsdM", path: ["maxGsdM"] });

export type DetectionProfile = z.infer<typeof detectionProfileSchema>;

export const queueSettingsSchema = z
  .strictObject({
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "must be letters, digits, '_', '.' or '-'")
      .describe("Redis key prefix of the changewatch queues (one prefix per deployment or test)"),
    lockDurationMs: z
      .int()
      .min(1000)
      .describe(
        "How long a worker's lock on a job lasts without renewal; a dead worker's job is retaken after it",
      ),
    stalledIntervalMs: z
      .int()
      .min(100)
      .describe("How often workers look for jobs whose lock expired (stalled) and re-queue them"),
    maxStalledCount: z
      .int()
      .min(0)
      .max(100)
      .describe("How many times one job may stall (its worker died) before it fails"),
    attempts: z
      .int()
      .min(1)
      .max(100)
      .describe("Tries per job for transient faults (bad input is never retried)"),
    backoffMs: z.int().min(0).describe("First retry delay; it doubles on each further retry"),
    shutdownTimeoutMs: z
      .int()
      .min(0)
      .describe(
        "On SIGTERM, how long running jobs may take to finish before the worker leaves them to others",
      ),
  })
  .describe("BullMQ queue behaviour; a settings file must give the whole object");

export type QueueSettings = z.infer<typeof queueSettingsSchema>;

export const settingsSchema = z.strictObject({
  dataDir: z.string().min(1).describe("Where runs and site histories are stored (CHANGEWATCH_DATA_DIR)"),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .describe("REDIS_URL"),
  tileSizePx: z.int().min(64).max(8192).describe("Core size of a processing tile, in pixels"),
  maxPixels: z.int().positive().describe("Largest accepted image, in pixels (width x height)"),
  maxBands: z.int().min(1).max(64).describe("Largest accepted band count"),
  shiftPatchSizePx: z
    .int()
    .refine((n) => n >= 32 && (n & (n - 1)) === 0, "must be a power of two >= 32")
    .describe("Side of the patches used for phase-correlation co-registration"),
  shiftPatches: z.int().min(1).max(64).describe("How many patches the co-registration uses"),
  sampleBlocks: z.int().min(1).max(256).describe("Full-resolution blocks sampled for pair-wide statistics"),
  sampleBlockSizePx: z.int().min(32).max(2048).describe("Side of each statistics sample block, in pixels"),
  quicklookMaxPx: z.int().min(128).max(16384).describe("Longest side of quicklook.png"),
  profiles: z.array(detectionProfileSchema).min(1).describe("Detection profiles, chosen by pixel size"),
  sitesFile: z
    .string()
    .min(1)
    .describe("The watched sites (JSON); relative source folders in it are resolved against its folder"),
  scanPollMs: z
    .int()
    .min(50)
    .describe("How often a scan's follow-up job checks whether the run it submitted has finished"),
  queue: queueSettingsSchema,
});

export type Settings = z.infer<typeof settingsSchema>;

/**
 * The HTTP API's settings. They are kept out of Settings on purpose: Settings are copied
 * into job payloads and every run.json, and the API key must be in neither.
 */
export const apiSettingsSchema = z.strictObject({
  apiKey: z
    .string()
    .min(16, "must be at least 16 characters")
    .nullable()
    .describe(
      "Key every request but /healthz must present (X-API-Key or Authorization: Bearer); CHANGEWATCH_API_KEY. The server does not start without one",
    ),
  host: z.string().min(1).describe("Interface the server listens on (CHANGEWATCH_API_HOST)"),
  port: z
    .int()
    .min(0)
    .max(65535)
    .describe("TCP port of the server; 0 picks a free one (CHANGEWATCH_API_PORT)"),
  allowedRoots: z
    .array(z.string().min(1))
    .describe(
      "Folders that image paths given to the API must lie in, symlinks resolved (CHANGEWATCH_ALLOWED_ROOTS, separated by ':'); none: no local paths",
    ),
  allowedUrlHosts: z
    .array(z.string().min(1))
    .describe(
      "Host names (or host:port) that image URLs given to the API may name (CHANGEWATCH_ALLOWED_URL_HOSTS, comma-separated); none: no URLs",
    ),
  bodyLimitBytes: z
    .int()
    .min(256)
    .max(10 * 1024 * 1024)
    .describe("Largest accepted request body, in bytes"),
});

export type ApiSettings = z.infer<typeof apiSettingsSchema>;

/** A partial settings file: the same keys, all optional, still strict; `api` may be partial too. */
export const settingsFileSchema = settingsSchema
  .partial()
  .extend({ api: apiSettingsSchema.partial().optional() });
