/** `changewatch schedule`: makes the BullMQ job schedulers match the sites file (add, update, remove). */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { loadSites } from "../config/load-sites.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { syncSchedules } from "../workers/scan-schedules.js";
import { formatTable } from "./table.js";

export function registerSchedule(program: Command): void {
  program
    .command("schedule")
    .description(
      "sync the scan schedulers with the sites file: add new sites, update changed schedules, remove gone ones",
    )
    .option("--config <file>", "settings file (JSON); its sitesFile names the sites")
    .option("--json", "print the changes as JSON")
    .action(async (opts: { config?: string; json?: boolean }) => {
      const settings = loadSettings({ file: opts.config });
      const sites = await loadSites(settings.sitesFile, settings);
      const connection = redisConnection(settings.redisUrl, "client");
      const queues = new RunQueues(connection, settings.queue);
      try {
        await checkRedis(connection, settings.redisUrl);
        const changes = await syncSchedules(queues, sites);
        if (opts.json) {
          process.stdout.write(JSON.stringify(changes, null, 2) + "\n");
        } else {
          console.log(
            formatTable(
              ["site", "scheduler", "schedule"],
              changes.map((c) => [c.siteId, c.action, c.schedule]),
            ),
          );
        }
      } finally {
        await queues.close();
        connection.disconnect();
      }
    });
}
