/** `changewatch sites`: the watched sites with their last scan, next scheduled scan and tracks so far. */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { loadSites } from "../config/load-sites.js";
import { lastCompletedScan, readSiteHistory } from "../pipeline/sites/history.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { describeSchedule, siteSchedulers } from "../workers/scan-schedules.js";
import { formatTable } from "./table.js";

const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16);

/** Next tick of each site's scheduler, or null without Redis (the list still shows the histories). */
async function nextScans(settings: ReturnType<typeof loadSettings>): Promise<Map<string, number> | null> {
  const connection = redisConnection(settings.redisUrl, "client");
  connection.on("error", () => undefined);
  const queues = new RunQueues(connection, settings.queue);
  try {
    await checkRedis(connection, settings.redisUrl);
    const schedulers = await siteSchedulers(queues);
    return new Map([...schedulers].map(([id, s]) => [id, Number(s.next ?? 0)]));
  } catch {
    return null;
  } finally {
    await queues.close();
    connection.disconnect();
  }
}

export function registerSites(program: Command): void {
  program
    .command("sites")
    .description("list the watched sites: last scan, next scheduled scan, detections and tracks so far")
    .option("--config <file>", "settings file (JSON); its sitesFile names the sites")
    .option("--json", "print the sites as JSON")
    .action(async (opts: { config?: string; json?: boolean }) => {
      const settings = loadSettings({ file: opts.config });
      const sites = await loadSites(settings.sitesFile, settings);
      const next = await nextScans(settings);
      const rows = await Promise.all(
        sites.map(async (site) => {
          const history = await readSiteHistory(settings.dataDir, site.id);
          const last = history.scans.at(-1);
          const completed = lastCompletedScan(history);
          return {
            id: site.id,
            name: site.name,
            schedule: describeSchedule(site.schedule),
            lastScan: last
              ? `${last.before.acquiredAt.slice(0, 10)} → ${last.after.acquiredAt.slice(0, 10)} ${last.status}`
              : "never",
            nextScan:
              next === null
                ? "unknown (no Redis)"
                : next.has(site.id)
                  ? when(next.get(site.id)!)
                  : "not scheduled",
            scans: history.scans.filter((s) => s.status === "completed").length,
            detections: completed?.counts?.detections ?? 0,
            tracks: history.tracks.length,
          };
        }),
      );
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        return;
      }
      console.log(
        formatTable(
          ["site", "schedule", "last scan", "next scan", "scans", "detections", "tracks", "name"],
          rows.map((r) => [
            r.id,
            r.schedule,
            r.lastScan,
            r.nextScan,
            r.scans,
            r.detections,
            r.tracks,
            r.name,
          ]),
        ),
      );
    });
}
