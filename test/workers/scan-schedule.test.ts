import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSites } from "../../config/load-sites.js";
import type { Settings } from "../../config/schema.js";
import { readSiteHistory, type SiteHistory } from "../../pipeline/sites/history.js";
import { redisConnection } from "../../workers/redis-connection.js";
import { RunQueues } from "../../workers/run-queues.js";
import { siteSchedulers, syncSchedules } from "../../workers/scan-schedules.js";
import { WorkerPool } from "../../workers/worker-pool.js";
import { queueTestSettings, tempDir } from "./queue-fixtures.js";
import { dropPrefix, startRedis, uniquePrefix, type TestRedis } from "./test-redis.js";

const SERIES = resolve("samples/tumen/acquisitions");
const FILES = [
  "2024-10-12-tumen.tif",
  "2025-05-30-tumen.tif",
  "2025-07-26-tumen.tif",
  "2025-10-04-tumen.tif",
];
const shipped = JSON.parse(
  await import("node:fs/promises").then((fs) => fs.readFile("config/sites.json", "utf8")),
) as { sites: { id: string; source: { path: string }; schedule: unknown }[] };
const tumen = shipped.sites.find((s) => s.id === "tumen")!;

async function writeSites(dir: string, sites: object[]): Promise<string> {
  const file = join(dir, `sites-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ sites }));
  return file;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

describe("watched sites on BullMQ job schedulers", () => {
  let redis: TestRedis;
  let settings: Settings;
  let connection: Redis;
  let queues: RunQueues;
  let dir: string;

  beforeAll(async () => {
    redis = await startRedis();
    dir = await tempDir("sites");
    settings = queueTestSettings(redis.url, uniquePrefix(), join(dir, "data"), { tileSizePx: 512 });
    connection = redisConnection(redis.url, "client");
    queues = new RunQueues(connection, settings.queue);
  });

  afterAll(async () => {
    await queues?.close();
    connection?.disconnect();
    if (redis) await dropPrefix(redis.url, settings.queue.prefix);
    await redis?.stop();
  });

  it("syncs schedulers idempotently and removes what the config removed", async () => {
    const site = (id: string, schedule: object) => ({
      ...tumen,
      id,
      name: id,
      schedule,
      source: { type: "folder", path: SERIES },
    });
    const first = await loadSites(
      await writeSites(dir, [
        site("a", { type: "cron", cron: "0 6 * * 1", tz: "Asia/Pyongyang" }),
        site("b", { type: "every", minutes: 360 }),
      ]),
      settings,
    );
    expect((await syncSchedules(queues, first)).map((c) => `${c.siteId} ${c.action}`)).toEqual([
      "a added",
      "b added",
    ]);
    expect((await syncSchedules(queues, first)).map((c) => `${c.siteId} ${c.action}`)).toEqual([
      "a unchanged",
      "b unchanged",
    ]);
    const second = await loadSites(
      await writeSites(dir, [site("b", { type: "every", minutes: 60 })]),
      settings,
    );
    expect((await syncSchedules(queues, second)).map((c) => `${c.siteId} ${c.action} ${c.schedule}`)).toEqual(
      ["b updated every 60 min", "a removed cron 0 6 * * 1"],
    );
    const left = await siteSchedulers(queues);
    expect([...left.keys()]).toEqual(["b"]);
    expect(Number(left.get("b")!.every)).toBe(3_600_000);
    expect((await syncSchedules(queues, second)).map((c) => c.action)).toEqual(["unchanged"]);
    expect((await syncSchedules(queues, [])).map((c) => `${c.siteId} ${c.action}`)).toEqual(["b removed"]);
    expect((await siteSchedulers(queues)).size).toBe(0);
  });

  it("runs once per new acquisition, never when nothing is new, and tracks the bridge piers", async () => {
    const folder = join(dir, "incoming");
    await mkdir(folder);
    const sitesFile = await writeSites(dir, [
      { ...tumen, source: { type: "folder", path: folder }, schedule: { type: "every", minutes: 0.005 } },
    ]);
    const scanSettings = { ...settings, sitesFile, scanPollMs: 100 };
    const pool = await WorkerPool.start(scanSettings, { concurrency: 2 });
    const history = () => readSiteHistory(scanSettings.dataDir, "tumen");
    const completed = async () => (await history()).scans.filter((s) => s.status === "completed").length;
    const pairJobs = async () => (await queues.pair.getJobCounts()).completed ?? 0;
    try {
      await copyFile(join(SERIES, FILES[0]), join(folder, FILES[0]));
      await syncSchedules(queues, await loadSites(sitesFile, scanSettings));
      // Only the baseline: every tick finds nothing new.
      await until(
        "scans of the baseline alone",
        async () => (await queues.scan.getJobCounts()).completed >= 3,
      );
      expect(await pairJobs()).toBe(0);
      for (let k = 1; k < FILES.length; k++) {
        await copyFile(join(SERIES, FILES[k]), join(folder, FILES[k]));
        await until(`scan ${k}`, async () => (await completed()) === k);
      }
      const scansBefore = (await queues.scan.getJobCounts()).completed;
      await until(
        "three more ticks",
        async () => (await queues.scan.getJobCounts()).completed >= scansBefore + 3,
      );
      expect(await pairJobs()).toBe(FILES.length - 1);
      const h: SiteHistory = await history();
      expect(h.scans.map((s) => `${s.before.id} → ${s.after.id} ${s.status}`)).toEqual([
        `${FILES[0]} → ${FILES[1]} completed`,
        `${FILES[0]} → ${FILES[2]} completed`,
        `${FILES[0]} → ${FILES[3]} completed`,
      ]);

      const bridgeTracks = h.scans.map(
        (s) => new Set(s.detections.filter((d) => d.class === "bridge_foundation").map((d) => d.trackId)),
      );
      const counts = bridgeTracks.map((t) => t.size);
      expect(counts[1]).toBeGreaterThan(counts[0]);
      expect(counts[2]).toBeGreaterThan(counts[1]);
      // The piers of each scan are seen again, under the same track, in the next.
      for (let k = 1; k < bridgeTracks.length; k++) {
        const kept = [...bridgeTracks[k - 1]].filter((id) => bridgeTracks[k].has(id));
        expect(kept.length).toBeGreaterThanOrEqual(bridgeTracks[k - 1].size - 1);
      }
      const pier = h.tracks.find((t) => t.id === [...bridgeTracks[0]][0])!;
      expect(pier.firstSeen.slice(0, 10)).toBe("2025-05-30");
      expect(pier.lastSeen.slice(0, 10)).toBe("2025-10-04");
      expect(pier.sightings.map((s) => s.runId)).toEqual(h.scans.map((s) => s.runId));
    } finally {
      await syncSchedules(queues, []);
      await pool.close(5_000);
    }
  });
});
