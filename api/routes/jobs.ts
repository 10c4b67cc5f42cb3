/** GET /v1/jobs/:id: a run's state, tile progress, failure reason and, once done, its outputs. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { jobStatus } from "../job-status.js";
import { errorSchema, jobIdParams, jobStatusSchema } from "../schemas.js";

export function jobRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/jobs/:id",
    {
      schema: {
        summary: "State and progress of a submitted run",
        tags: ["runs"],
        params: jobIdParams,
        response: { 200: jobStatusSchema, 400: errorSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const status = await jobStatus(ctx.queues, request.params.id);
      if (!status) throw new ApiError(404, "E_NOT_FOUND", `no job ${request.params.id}`);
      return status;
    },
  );
}
