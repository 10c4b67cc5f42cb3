/** `changewatch jobs`: recent queued jobs with their state, progress and failure reason. */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { listJobs } from "../workers/job-listing.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { parsePositiveInt } from "./options.js";
import { formatTable } from "./table.js";

export function registerJobs(program: Command): void {
  program
    .command("jobs")
    .description("list recent jobs (pair, tile, assemble) with state, progress and failure reason")
    .option("--failed", "only failed jobs")
    .option("-n, --limit <n>", "rows at most", parsePositiveInt, 20)
    .option("--config <file>", "settings file (JSON)")
    .option("--json", "print the rows as JSON")
    .action(async (opts: { failed?: boolean; limit: number; config?: string; json?: boolean }) => {
      const settings = loadSettings({ file: opts.config });
      const connection = redisConnection(settings.redisUrl, "client");
      const queues = new RunQueues(connection, settings.queue);
      try {
        await checkRedis(connection, settings.redisUrl);
        const rows = await listJobs(queues, { failed: opts.failed, limit: opts.limit });
        if (opts.json) {
          process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        } else if (rows.length === 0) {
          console.log(opts.failed ? "no failed jobs" : "no jobs");
        } else {
          console.log(
            formatTable(
              ["job", "queue", "state", "progress", "attempts", "updated", "reason"],
              rows.map((r) => [
                r.id,
                r.queue,
                r.state,
                r.progress,
                r.attempts,
                new Date(r.updatedMs).toISOString().replace("T", " ").slice(0, 19),
                r.failedReason,
              ]),
            ),
          );
        }
      } finally {
        await queues.close();
        connection.disconnect();
      }
    });
}
