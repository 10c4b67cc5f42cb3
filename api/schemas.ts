/**
 * The API's request and response shapes (zod). Fastify validates requests with them, and
 * the OpenAPI document at /openapi.json is generated from them, so the two cannot drift.
 */
import { z } from "zod";

export const errorSchema = z
  .object({
    code: z.string().describe("Stable error code, e.g. E_UNAUTHORIZED, E_LOCATION_NOT_ALLOWED, E_NOT_FOUND"),
    message: z.string().describe("What went wrong, for a person"),
  })
  .meta({ id: "Error" });

const location = z
  .string()
  .min(1)
  .max(4096)
  .describe(
    "Absolute path under an allowed root, or an http(s) URL of a Cloud-Optimised GeoTIFF on an allowed host",
  );

export const pairRequestSchema = z
  .strictObject({
    before: location.describe("The earlier image"),
    after: location.describe("The later image"),
    site: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'")
      .optional()
      .describe("Watched site the pair belongs to"),
    profile: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("Detection profile (default: chosen by pixel size)"),
    gsdM: z
      .number()
      .positive()
      .max(10_000)
      .optional()
      .describe("Pixel size in metres, for images without geo-reference"),
    force: z.boolean().optional().describe("Run again even if this pair was processed with these settings"),
  })
  .meta({ id: "PairRequest" });

export const submissionSchema = z
  .object({
    jobId: z.string().describe("Follow the run at GET /v1/jobs/{jobId}"),
    runId: z.string().describe("The run's outputs will be at /v1/runs/{runId}"),
    duplicate: z.boolean().describe("True when this pair was submitted before and nothing new was queued"),
    state: z.string(),
  })
  .meta({ id: "Submission" });

export const jobIdParams = z.object({
  id: z.string().regex(/^run-[0-9a-f]{16}(-[0-9a-z]+)?$/, "must be a job id like run-0123456789abcdef"),
});

export const runIdParams = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/, "must be a run id of 16 hex digits"),
});

export const jobStatusSchema = z
  .object({
    jobId: z.string(),
    runId: z.string(),
    site: z.string().nullable(),
    state: z
      .enum(["queued", "planning", "running", "assembling", "completed", "failed"])
      .describe("queued → planning → running (tiles) → assembling → completed, or failed"),
    progress: z.object({
      tilesDone: z.int(),
      tilesTotal: z.int().nullable().describe("Known once the pair is planned"),
    }),
    failedReason: z.string().nullable(),
    submittedAt: z.string(),
    finishedAt: z.string().nullable(),
    links: z
      .object({ run: z.string(), detections: z.string(), report: z.string() })
      .nullable()
      .describe("Where the outputs are, once completed"),
  })
  .meta({ id: "JobStatus" });

export const healthSchema = z
  .object({ status: z.literal("ok"), redis: z.literal("ok") })
  .meta({ id: "Health" });
