/**
 * `changewatch scan <site>`: queues a scan of the site now and shows what it did — the run
 * it submitted, or why there was nothing to do. A worker runs it, as for scheduled scans;
 * with --wait the command also waits for the run and its entry in the site's history.
 */
import { QueueEvents } from "bullmq";
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { findSite, loadSites } from "../config/load-sites.js";
import { ChangewatchError } from "../pipeline/errors.js";
import { readSiteHistory } from "../pipeline/sites/history.js";
import type { JobPayload } from "../workers/job-catalogue.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { scanRecordJobId, type ScanJobResult } from "../workers/scan-processor.js";

export function registerScan(program: Command): void {
  program
    .command("scan <site>")
    .description(
      "scan a watched site now: pair its newest acquisition with the previous one and submit the run",
    )
    .option("--wait", "also wait for the run and its entry in the site's history")
    .option("--config <file>", "settings file (JSON)")
    .option("--json", "print the result as JSON")
    .action(async (siteId: string, opts: { wait?: boolean; config?: string; json?: boolean }) => {
      const settings = loadSettings({ file: opts.config });
      findSite(await loadSites(settings.sitesFile, settings), siteId);
      const connection = redisConnection(settings.redisUrl, "client");
      const queues = new RunQueues(connection, settings.queue);
      const eventOpts = { connection, prefix: settings.queue.prefix };
      const scanEvents = new QueueEvents(queues.scan.name, eventOpts);
      const recordEvents = new QueueEvents(queues.scanRecord.name, eventOpts);
      try {
        await checkRedis(connection, settings.redisUrl);
        await Promise.all([scanEvents.waitUntilReady(), recordEvents.waitUntilReady()]);
        const data: JobPayload<"scan"> = { siteId };
        const job = await queues.scan.add(
          "scan",
          data,
          queues.jobOptions("scan", `scan-${siteId}-${Date.now().toString(36)}`),
        );
        const result = (await job.waitUntilFinished(scanEvents).catch((err: Error) => {
          throw new ChangewatchError("E_ARGUMENT", `scan of ${siteId} failed: ${err.message}`);
        })) as ScanJobResult;
        let detections: number | null = null;
        // Busy: the site's run in flight is the one to wait for.
        if (opts.wait && result.outcome !== "nothing-new" && result.runKey) {
          const record = await queues.scanRecord.getJob(scanRecordJobId(result.runKey));
          if (record) await record.waitUntilFinished(recordEvents);
          const history = await readSiteHistory(settings.dataDir, siteId);
          detections = history.scans.find((s) => s.runId === result.runId)?.counts?.detections ?? null;
        }
        if (opts.json) {
          process.stdout.write(JSON.stringify({ ...result, detections }, null, 2) + "\n");
        } else if (result.outcome === "busy") {
          console.log(
            `${siteId}: busy: ${result.before} → ${result.after} (run ${result.runKey}) is still running`,
          );
          if (detections !== null) console.log(`it found ${detections} detection(s)`);
        } else if (result.outcome === "submitted") {
          console.log(
            `${siteId}: ${result.before} → ${result.after}: run ${result.runKey}${result.reason ? ` (${result.reason})` : ""}`,
          );
          if (detections !== null)
            console.log(
              `${detections} detection(s); history in ${settings.dataDir}/sites/${siteId}/history.json`,
            );
        } else {
          console.log(`${siteId}: ${result.outcome}: ${result.reason}`);
        }
      } finally {
        await Promise.all([scanEvents.close(), recordEvents.close()]);
        await queues.close();
        connection.disconnect();
      }
    });
}
