/** POST /v1/pairs: queue a before/after pair, deduplicated exactly as `changewatch submit`. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { chooseProfile } from "../../config/load.js";
import { submitRun } from "../../workers/submit-run.js";
import type { ApiContext } from "../context.js";
import { errorSchema, pairRequestSchema, submissionSchema } from "../schemas.js";

export function pairRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/v1/pairs",
    {
      schema: {
        summary: "Queue a before/after pair for change detection",
        tags: ["runs"],
        body: pairRequestSchema,
        response: { 202: submissionSchema, 400: errorSchema, 401: errorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const before = await ctx.locations.check("before", body.before);
      const after = await ctx.locations.check("after", body.after);
      // An unknown profile would only fail later in a worker; say so now.
      if (body.profile !== undefined) chooseProfile(ctx.settings, 0, body.profile);
      const submission = await submitRun(ctx.queues, ctx.settings, {
        before,
        after,
        site: body.site,
        profileName: body.profile,
        gsdM: body.gsdM,
        force: body.force,
      });
      reply.header("location", `/v1/jobs/${submission.runKey}`);
      return reply.code(202).send({
        jobId: submission.runKey,
        runId: submission.runId,
        duplicate: submission.duplicate,
        state: submission.state,
      });
    },
  );
}
