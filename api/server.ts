/**
 * The HTTP API: fastify with zod-validated routes, an OpenAPI document generated from the
 * same schemas (/openapi.json), the queue dashboard, API-key authentication on every route
 * but /healthz, a request body limit, and `{ code, message }` for every error.
 */
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { ApiSettings, Settings } from "../config/schema.js";
import { ConfigError } from "../pipeline/errors.js";
import { SOFTWARE } from "../pipeline/version.js";
import { redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { requireApiKey } from "./api-key.js";
import type { ApiContext } from "./context.js";
import { registerDashboard } from "./dashboard.js";
import { installErrorHandlers } from "./errors.js";
import { ImageLocations } from "./image-locations.js";
import { healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { pairRoutes } from "./routes/pairs.js";
import { runRoutes } from "./routes/runs.js";
import { siteRoutes } from "./routes/sites.js";

export interface ApiServerOptions {
  settings: Settings;
  api: ApiSettings;
  /** Log requests (pino, JSON lines on stdout). @defaultValue false */
  logger?: boolean;
}

/** Builds the server (not yet listening); closing it closes its queues and Redis connection. */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const { settings, api } = options;
  if (api.apiKey === null) {
    throw new ConfigError("api.apiKey: the API needs a key; set CHANGEWATCH_API_KEY (16 characters or more)");
  }
  const connection = redisConnection(settings.redisUrl, "worker");
  const queues = new RunQueues(connection, settings.queue);
  const ctx: ApiContext = {
    settings,
    api,
    connection,
    queues,
    locations: await ImageLocations.create(api.allowedRoots, api.allowedUrlHosts),
  };

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: api.bodyLimitBytes });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  app.addHook("onRequest", requireApiKey(api.apiKey));
  app.addHook("onClose", async () => {
    await queues.close();
    connection.disconnect();
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: "changewatch API",
        description:
          "Change detection for new construction: submit image pairs, follow runs, fetch detections and reports.",
        version: SOFTWARE.version,
      },
      components: {
        securitySchemes: {
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    // Only the API's own (tagged) routes belong in the document, not the dashboard's.
    hideUntagged: true,
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  healthRoutes(app, ctx);
  pairRoutes(app, ctx);
  jobRoutes(app, ctx);
  runRoutes(app, ctx);
  siteRoutes(app, ctx);
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await registerDashboard(app, queues);
  return app;
}
