/**
 * Worker processes as an operator runs them (`changewatch worker`, compiled): one killed
 * with SIGKILL mid-run loses nothing, and SIGTERM lets the job in hand finish.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import type { Settings } from "../../config/schema.js";
import { detectLocal } from "../../pipeline/run/local-runner.js";
import { redisConnection } from "../../workers/redis-connection.js";
import { RunQueues } from "../../workers/run-queues.js";
import { submitRun } from "../../workers/submit-run.js";
import { waitForRun } from "../../workers/wait-for-run.js";
import { comparable, queueTestSettings, SAMPLES, tempDir } from "./queue-fixtures.js";
import { dropPrefix, startRedis, uniquePrefix, type TestRedis } from "./test-redis.js";

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/** Starts `node dist/cli/main.js worker` with `settings` as its settings file; resolves when it is ready. */
async function startWorker(settings: Settings, dir: string, name: string): Promise<WorkerProcess> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(settings));
  const env = { ...process.env };
  delete env.REDIS_URL;
  delete env.CHANGEWATCH_DATA_DIR;
  delete env.CHANGEWATCH_CONFIG;
  const child = spawn(process.execPath, ["dist/cli/main.js", "worker", "--config", file], { env });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  await until(
    () => text.includes(" ready: "),
    15_000,
    () => `worker ${name} did not start:\n${text}`,
  );
  return { child, output: () => text };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("worker processes", () => {
  let redis: TestRedis;
  let dir: string;
  const started: WorkerProcess[] = [];
  const open: { queues: RunQueues; connection: Redis; prefix: string }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dir = await tempDir("workers");
  });

  afterEach(() => {
    for (const w of started.splice(0)) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  });

  afterAll(async () => {
    for (const { queues, connection, prefix } of open) {
      await queues.close();
      connection.disconnect();
      await dropPrefix(redis.url, prefix);
    }
    await redis?.stop();
  });

  function client(settings: Settings) {
    const connection = redisConnection(redis.url, "client");
    const queues = new RunQueues(connection, settings.queue);
    open.push({ queues, connection, prefix: settings.queue.prefix });
    return { connection, queues };
  }

  it("recovers the tiles of a worker killed with SIGKILL, and completes the run once", async () => {
    const settings = queueTestSettings(redis.url, uniquePrefix(), join(dir, "kill"));
    const { connection, queues } = client(settings);
    const first = await startWorker(settings, dir, "first");
    started.push(first);
    const submission = await submitRun(queues, settings, SAMPLES.hyesan);

    // Kill the worker in the middle of the tiles: some done, one in hand.
    let inHand: string[] = [];
    await until(
      async () => {
        const counts = await queues.tile.getJobCounts("completed", "active");
        if (counts.completed < 3 || counts.active < 1) return false;
        inHand = (await queues.tile.getActive()).map((j) => j.id!);
        return inHand.length > 0;
      },
      30_000,
      () => `tiles never ran:\n${first.output()}`,
    );
    first.child.kill("SIGKILL");
    await once(first.child, "exit");

    const second = await startWorker(settings, dir, "second");
    started.push(second);
    const queued = await waitForRun(queues, connection, submission.runKey);

    expect(second.output()).toMatch(/stalled \(its worker stopped\): re-queued/);
    for (const id of inHand) {
      const job = await queues.tile.getJob(id);
      expect(await job!.getState()).toBe("completed");
      expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
    }
    const assemble = await queues.assemble.getJob(submission.runKey);
    expect(assemble!.attemptsStarted).toBe(1);
    expect(await queues.assemble.getJobCounts("completed")).toEqual({ completed: 1 });

    const local = await detectLocal(SAMPLES.hyesan.before, SAMPLES.hyesan.after, join(dir, "kill-local"), {
      settings,
    });
    expect(comparable(queued.detections)).toEqual(comparable(local.detections));
  });

  it("finishes the job in hand on SIGTERM and takes no new one", async () => {
    // One large tile per job, so the job in hand is still running when the signal arrives.
    const settings = queueTestSettings(redis.url, uniquePrefix(), join(dir, "term"), { tileSizePx: 1024 });
    const { queues } = client(settings);
    const worker = await startWorker(settings, dir, "term");
    started.push(worker);
    const submission = await submitRun(queues, settings, SAMPLES.tumen);

    let inHand: string[] = [];
    await until(
      async () => {
        inHand = (await queues.tile.getActive()).map((j) => j.id!);
        return inHand.length > 0;
      },
      30_000,
      () => `no tile started:\n${worker.output()}`,
    );
    const exited = once(worker.child, "exit");
    worker.child.kill("SIGTERM");
    const [code] = await exited;

    expect(code).toBe(0);
    expect(worker.output()).toMatch(/SIGTERM: finishing running jobs/);
    expect(worker.output()).toMatch(/\bstopped\n/);
    for (const id of inHand) expect(await (await queues.tile.getJob(id))!.getState()).toBe("completed");
    // The rest of the run waits for the next worker.
    expect(await (await queues.assemble.getJob(submission.runKey))!.getState()).not.toBe("completed");
  });
});
