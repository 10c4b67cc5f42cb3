/**
 * A watched site's history: GET /v1/sites/:id (scans and tracks, as history.json holds them)
 * and /v1/sites/:id/report.html (the site report over time). A site never scanned has an
 * empty history.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { buildSiteReport } from "../../pipeline/report/site-report.js";
import { readSiteHistory } from "../../pipeline/sites/history.js";
import type { ApiContext } from "../context.js";
import { errorSchema } from "../schemas.js";

const siteParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'"),
});
const errors = { 400: errorSchema, 401: errorSchema };

export function siteRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
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
    async (request) =>
      (await readSiteHistory(ctx.settings.dataDir, request.params.id)) as unknown as Record<string, unknown>,
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
      const history = await readSiteHistory(ctx.settings.dataDir, request.params.id);
      return reply
        .type("text/html; charset=utf-8")
        .send(buildSiteReport(history, { since: request.query.since }));
    },
  );
}
