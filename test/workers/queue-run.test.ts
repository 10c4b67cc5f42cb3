import { access, copyFile, readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import type { Settings } from "../../config/schema.js";
import { detectLocal } from "../../pipeline/run/local-runner.js";
import { redisConnection } from "../../workers/redis-connection.js";
import { RunQueues } from "../../workers/run-queues.js";
import { submitRun } from "../../workers/submit-run.js";
import { RunFailedError, waitForRun } from "../../workers/wait-for-run.js";
import { WorkerPool } from "../../workers/worker-pool.js";
import { comparable, queueTestSettings, SAMPLES, tempDir } from "./queue-fixtures.js";
import { dropPrefix, startRedis, uniquePrefix, type TestRedis } from "./test-redis.js";

describe("queued runs (pair → tiles → assemble on BullMQ)", () => {
  let redis: TestRedis;
  let settings: Settings;
  let pool: WorkerPool;
  let connection: Redis;
  let queues: RunQueues;
  let dataDir: string;

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await tempDir("queue");
    settings = queueTestSettings(redis.url, uniquePrefix(), dataDir);
    pool = await WorkerPool.start(settings, { concurrency: 2 });
    connection = redisConnection(redis.url, "client");
    queues = new RunQueues(connection, settings.queue);
  });

  afterAll(async () => {
    await pool?.close(5_000);
    await queues?.close();
    connection?.disconnect();
    if (redis) await dropPrefix(redis.url, settings.queue.prefix);
    await redis?.stop();
  });

  for (const site of ["hyesan", "tumen"] as const) {
    it(`finds in ${site} what detect finds, over 128 px tiles`, async () => {
      const { before, after } = SAMPLES[site];
      // `detect` with its default 1024 px tiles: the queued run's many seams must not change anything.
      const local = await detectLocal(before, after, join(dataDir, "local", site), {
        settings: { ...settings, tileSizePx: 1024 },
      });
      const submission = await submitRun(queues, settings, { before, after, site });
      expect(submission.duplicate).toBe(false);
      const queued = await waitForRun(queues, connection, submission.runKey);

      expect(queued.counts.detections).toBe(local.detections.length);
      expect(comparable(queued.detections)).toEqual(comparable(local.detections));
      const record = JSON.parse(await readFile(join(queued.outDir, "run.json"), "utf8"));
      expect(record.runId).toBe(submission.runId);
      expect(record.tiles.count).toBeGreaterThan(40);
      expect(queued.outDir).toBe(join(dataDir, "runs", submission.runId));
      await expect(access(join(dataDir, "work", submission.runKey))).rejects.toThrow();
    });
  }

  it("does not process a duplicate submission again", async () => {
    const tilesBefore = await queues.tile.getJobCounts();
    const again = await submitRun(queues, settings, { ...SAMPLES.hyesan, site: "hyesan" });
    expect(again.duplicate).toBe(true);
    expect(again.state).toBe("completed");
    const result = await waitForRun(queues, connection, again.runKey);
    expect(result.detections.length).toBeGreaterThan(0);
    expect(await queues.tile.getJobCounts()).toEqual(tilesBefore);
    expect(await queues.pair.getJobCountByTypes("completed", "waiting", "active")).toBe(2);
  });

  it("fails a corrupt input at once, without retries, with its reason", async () => {
    const dir = await tempDir("corrupt");
    const corrupt = join(dir, "after.tif");
    await copyFile(SAMPLES.tumen.after, corrupt);
    await truncate(corrupt, Math.floor((await stat(corrupt)).size / 3));

    const submission = await submitRun(queues, settings, { before: SAMPLES.tumen.before, after: corrupt });
    const failure = await waitForRun(queues, connection, submission.runKey).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RunFailedError);
    expect((failure as Error).message).toMatch(new RegExp(`${corrupt}: file is truncated`));

    const job = await queues.pair.getJob(submission.runKey);
    expect(await job!.getState()).toBe("failed");
    expect(job!.attemptsMade).toBe(1);
    expect(job!.opts.attempts).toBe(settings.queue.attempts);
    expect(job!.failedReason).toMatch(/file is truncated/);
  });
});
