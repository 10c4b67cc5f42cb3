/**
 * Watched sites: GET /v1/sites (each site with its latest scan), GET /v1/sites/:id (its
 * history: scans and tracks), GET /v1/sites/:id/report.html (the site report over time) and
 * POST /v1/sites/:id/scan (queue a scan now, as `changewatch scan` does). Sites come from
 * the configured sites file, never from the request, so no image location is taken from it.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { findSite, loadSites } from "../../config/load-sites.js";
import type { SiteConfig } from "../../config/site-schema.js";
import { buildSiteReport } from "../../pipeline/report/site-report.js";
import { lastCompletedScan, readSiteHistory } from "../../pipeline/sites/history.js";
import type { JobPayload } from "../../workers/job-catalogue.js";
import { describeSchedule } from "../../workers/scan-schedules.js";
import type { ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorSchema } from "../schemas.js";

const siteParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'"),
});
const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };

const siteSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    schedule: z.string().describe("When the site is scanned, for people"),
    scans: z.int(),
    lastScan: z
      .object({ runId: z.string(), after: z.string(), detections: z.int() })
      .nullable()
      .describe("The latest completed scan"),
  })
  .meta({ id: "SiteSummary" });

export function siteRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  /** The configured site, or 404 naming the known ones. */
  const site = async (id: string): Promise<SiteConfig> => {
    const sites = await loadSites(ctx.settings.sitesFile, ctx.settings);
    try {
      return findSite(sites, id);
    } catch (err) {
      throw new ApiError(404, "E_NOT_FOUND", (err as Error).message);
    }
  };

  typed.get(
    "/v1/sites",
    {
      schema: {
        summary: "The watched sites, each with its latest completed scan",
        tags: ["sites"],
        response: { 200: z.array(siteSummarySchema), 401: errorSchema },
      },
    },
    async () => {
      const sites = await loadSites(ctx.settings.sitesFile, ctx.settings);
      return Promise.all(
        sites.map(async (s) => {
          const history = await readSiteHistory(ctx.settings.dataDir, s.id);
          const last = lastCompletedScan(history);
          return {
            id: s.id,
            name: s.name,
            schedule: describeSchedule(s.schedule),
            scans: history.scans.length,
            lastScan: last
              ? { runId: last.runId, after: last.after.acquiredAt, detections: last.counts?.detections ?? 0 }
              : null,
          };
        }),
      );
    },
  );

  typed.get(
    "/v1/sites/:id",
    {
      schema: {
        summary: "A watched site's history: scans (pairs, status, counts) and tracked structures",
        tags: ["sites"],
        params: siteParams,
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
    },
    async (request) => {
      await site(request.params.id);
      return (await readSiteHistory(ctx.settings.dataDir, request.params.id)) as unknown as Record<
        string,
        unknown
      >;
    },
  );

  typed.get(
    "/v1/sites/:id/report.html",
    {
      schema: {
        summary: "The site's HTML report over time",
        tags: ["sites"],
        params: siteParams,
        querystring: z.object({
          since: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
            .optional(),
        }),
        response: { 200: z.string().describe("text/html"), ...errors },
      },
    },
    async (request, reply) => {
      await site(request.params.id);
      const history = await readSiteHistory(ctx.settings.dataDir, request.params.id);
      return reply
        .type("text/html; charset=utf-8")
        .send(buildSiteReport(history, { since: request.query.since }));
    },
  );

  typed.post(
    "/v1/sites/:id/scan",
    {
      schema: {
        summary: "Scan the site now: a worker pairs its newest acquisition with the previous one",
        tags: ["sites"],
        params: siteParams,
        response: { 202: z.object({ scanJobId: z.string(), siteId: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = await site(request.params.id);
      const data: JobPayload<"scan"> = { siteId: id };
      const jobId = `scan-${id}-${Date.now().toString(36)}`;
      await ctx.queues.scan.add("scan", data, ctx.queues.jobOptions("scan", jobId));
      return reply.code(202).send({ scanJobId: jobId, siteId: id });
    },
  );
}
