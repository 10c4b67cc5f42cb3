/** GET /healthz: the one route without a key, for load balancers; answers ok only when Redis does. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ApiContext } from "../context.js";
import { ApiError } from "../errors.js";
import { errorSchema, healthSchema } from "../schemas.js";

/** A health check must answer quickly even when Redis hangs. */
const REDIS_PING_TIMEOUT_MS = 2_000;

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/healthz",
    {
      schema: {
        summary: "Health check (no API key): ok when Redis answers",
        tags: ["health"],
        response: { 200: healthSchema, 503: errorSchema },
      },
    },
    async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          ctx.connection.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("timed out")), REDIS_PING_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        throw new ApiError(503, "E_UNAVAILABLE", `Redis does not answer (${(err as Error).message})`);
      } finally {
        clearTimeout(timer);
      }
      return { status: "ok" as const, redis: "ok" as const };
    },
  );
}
