/**
 * One worker process's share of the work: a BullMQ Worker per catalogue job — pair and
 * assemble in this thread, tile sandboxed in worker threads — with the queue settings,
 * start-up wiring checks and a graceful, bounded shutdown.
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Worker, type Processor } from "bullmq";
import type { Redis } from "ioredis";
import type { Settings } from "../config/schema.js";
import { ConfigError } from "../pipeline/errors.js";
import { assembleProcessor, type AssembleJobResult } from "./assemble-processor.js";
import { JOB_NAMES, jobCatalogue, type JobName } from "./job-catalogue.js";
import { pairProcessor, type PairJobResult } from "./pair-processor.js";
import { redisConnection } from "./redis-connection.js";
import { RunQueues } from "./run-queues.js";
import { SiteLock } from "./scan-lock.js";
import { scanProcessor, type ScanJobResult } from "./scan-processor.js";
import { scanRecordProcessor } from "./scan-record-processor.js";

export interface WorkerPoolOptions {
  /** Tiles this process scores at once, each in its own worker thread. @defaultValue 1 */
  concurrency?: number;
  /** Where one-line event messages go. @defaultValue no logging */
  log?: (line: string) => void;
}

/** A processor function, or the path of a compiled file BullMQ runs sandboxed. */
type Wiring = Record<JobName, Processor | string>;

/**
 * The compiled tile processor. Under dist/ it sits next to this module; run from source
 * (tsx, vitest) the build's copy is used, so `npm run build` must have run.
 */
export function tileSandboxFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(dirname(here)) === "dist"
    ? join(here, "tile-sandbox.js")
    : join(here, "..", "dist", "workers", "tile-sandbox.js");
}

/** Every catalogue job has exactly one processor, and sandboxed files exist; otherwise start-up fails. */
export function checkWiring(wiring: Partial<Record<string, Processor | string>>): void {
  for (const name of JOB_NAMES) {
    const processor = wiring[name];
    if (processor === undefined)
      throw new ConfigError(`job "${name}" has no processor: add one to the wiring`);
    if (typeof processor === "string" && !existsSync(processor)) {
      throw new ConfigError(`the ${name} processor ${processor} does not exist: run \`npm run build\``);
    }
  }
  for (const name of Object.keys(wiring)) {
    if (!(name in jobCatalogue))
      throw new ConfigError(`processor for unknown job "${name}": add it to workers/job-catalogue.ts`);
  }
}

export class WorkerPool {
  private constructor(
    private readonly connection: Redis,
    private readonly queues: RunQueues,
    private readonly workers: Worker[],
    private readonly shutdownTimeoutMs: number,
  ) {}

  static async start(settings: Settings, options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError(`Expected positive integer for concurrency but received ${concurrency}`);
    }
    const log = options.log ?? (() => undefined);
    const q = settings.queue;
    const connection = redisConnection(settings.redisUrl, "worker");
    const queues = new RunQueues(connection, q);
    const wiring: Wiring = {
      pair: pairProcessor(settings, queues),
      tile: tileSandboxFile(),
      assemble: assembleProcessor(settings),
      scan: scanProcessor(settings, queues, new SiteLock(connection, q.prefix)),
      "scan-record": scanRecordProcessor(settings, queues, new SiteLock(connection, q.prefix)),
    };
    try {
      checkWiring(wiring);
    } catch (err) {
      await queues.close();
      connection.disconnect();
      throw err;
    }
    const common = {
      connection,
      prefix: q.prefix,
      name: `${hostname()}:${process.pid}`,
      lockDuration: q.lockDurationMs,
      stalledInterval: q.stalledIntervalMs,
      maxStalledCount: q.maxStalledCount,
    };
    const workers = JOB_NAMES.map((name) => {
      const worker = new Worker(jobCatalogue[name].queue, wiring[name], {
        ...common,
        concurrency: name === "tile" ? concurrency : 1,
        useWorkerThreads: name === "tile",
        // geotiff's web-worker dependency reads workerData.mod in any non-main thread and
        // throws when workerData is undefined; an empty object tells it this is not its worker.
        workerThreadsOptions: name === "tile" ? { workerData: {} } : undefined,
      });
      worker.on("failed", (job, err) => {
        if (job)
          log(
            `${name} ${job.id} failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${err.message}`,
          );
      });
      worker.on("stalled", (jobId) => log(`${name} ${jobId} stalled (its worker stopped): re-queued`));
      worker.on("error", (err) => log(`${name} worker error: ${err.message}`));
      return worker;
    });
    const [pairWorker, , assembleWorker, scanWorker] = workers;
    scanWorker.on("completed", (_job, result: ScanJobResult) =>
      log(
        `scan of ${result.siteId}: ${result.outcome}${result.runKey ? ` ${result.runKey}` : ""}${result.reason ? ` (${result.reason})` : ""}`,
      ),
    );
    pairWorker.on("completed", (job, result: PairJobResult) =>
      log(`run ${job.id} planned: ${result.tiles} tile(s)`),
    );
    assembleWorker.on("completed", (job, result: AssembleJobResult) =>
      log(`run ${job.id} done: ${result.detections.length} detection(s) in ${result.outDir}`),
    );
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    return new WorkerPool(connection, queues, workers, q.shutdownTimeoutMs);
  }

  /**
   * Stops taking jobs and lets the running ones finish. After `timeoutMs` the rest are
   * abandoned: their locks lapse and other workers retake them as stalled jobs.
   * Resolves true when every running job finished in time.
   */
  async close(timeoutMs = this.shutdownTimeoutMs): Promise<boolean> {
    const timer = new AbortController();
    const graceful = Promise.all(this.workers.map((w) => w.close())).then(() => true);
    const finished = await Promise.race([
      graceful,
      delay(timeoutMs, false, { signal: timer.signal }).catch(() => false),
    ]);
    timer.abort();
    if (!finished) await Promise.all(this.workers.map((w) => w.close(true)));
    await this.queues.close();
    await this.connection.quit();
    return finished;
  }
}
