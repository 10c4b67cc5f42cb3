/** `changewatch serve`: the HTTP API and the queue dashboard, until SIGINT or SIGTERM. */
import type { Command } from "commander";
import { loadApiSettings, loadSettings } from "../config/load.js";
import { buildApiServer } from "../api/server.js";
import { DASHBOARD_PATH } from "../api/dashboard.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { parsePositiveInt } from "./options.js";

interface ServeFlags {
  port?: number;
  host?: string;
  config?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description(
      "serve the HTTP API (submit pairs, follow jobs, fetch runs and reports) and the queue dashboard",
    )
    .option("--port <port>", "TCP port (default: api.port, 8080)", parsePositiveInt)
    .option("--host <host>", "interface to listen on (default: api.host, 127.0.0.1)")
    .option("--config <file>", "settings file (JSON)")
    .action(async (opts: ServeFlags) => {
      const settings = loadSettings({ file: opts.config });
      const api = loadApiSettings({
        file: opts.config,
        overrides: {
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
        },
      });
      // Say at once when Redis is missing, rather than on the first request.
      const probe = redisConnection(settings.redisUrl, "client");
      try {
        await checkRedis(probe, settings.redisUrl);
      } finally {
        probe.disconnect();
      }
      const app = await buildApiServer({ settings, api, logger: true });
      const address = await app.listen({ port: api.port, host: api.host });
      console.error(
        `changewatch API at ${address} (OpenAPI: ${address}/openapi.json, dashboard: ${address}${DASHBOARD_PATH})`,
      );
      const stop = () => {
        void app.close().then(() => process.exit(0));
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
