/**
 * A finished run's outputs: GET /v1/runs/:id (run.json), /detections.geojson and
 * /report.html (served from the run folder; built there first if the run predates reports).
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { writeRunReport } from "../../pipeline/report/run-report.js";
import { OUTPUT_FILES } from "../../pipeline/run/output-files.js";
import { runPaths } from "../../workers/run-paths.js";
import type { ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorSchema, runIdParams } from "../schemas.js";

const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };

export function runRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  /** The run's folder; 404 until the run has completed. */
  const runDir = async (runId: string): Promise<string> => {
    const dir = runPaths(ctx.settings.dataDir, runId, `run-${runId}`).outDir;
    const found = await stat(join(dir, OUTPUT_FILES.record)).catch(() => null);
    if (!found) throw new ApiError(404, "E_NOT_FOUND", `no completed run ${runId}`);
    return dir;
  };

  typed.get(
    "/v1/runs/:id",
    {
      schema: {
        summary: "The run record (run.json): inputs, settings, alignment, statistics, timings, counts",
        tags: ["runs"],
        params: runIdParams,
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
    },
    async (request) => {
      const dir = await runDir(request.params.id);
      return JSON.parse(await readFile(join(dir, OUTPUT_FILES.record), "utf8")) as Record<string, unknown>;
    },
  );

  typed.get(
    "/v1/runs/:id/detections.geojson",
    {
      schema: {
        summary: "The run's detections as a GeoJSON FeatureCollection (WGS84)",
        tags: ["runs"],
        params: runIdParams,
        response: { 200: z.unknown().describe("application/geo+json"), ...errors },
      },
    },
    async (request, reply) => {
      const dir = await runDir(request.params.id);
      return reply.type("application/geo+json").send(createReadStream(join(dir, OUTPUT_FILES.geojson)));
    },
  );

  typed.get(
    "/v1/runs/:id/report.html",
    {
      schema: {
        summary: "The run's self-contained HTML report",
        tags: ["runs"],
        params: runIdParams,
        response: { 200: z.unknown().describe("text/html"), ...errors },
      },
    },
    async (request, reply) => {
      const dir = await runDir(request.params.id);
      const path = join(dir, OUTPUT_FILES.report);
      if (!(await stat(path).catch(() => null))) await writeRunReport(dir);
      return reply.type("text/html; charset=utf-8").send(createReadStream(path));
    },
  );
}
