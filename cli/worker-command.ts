/** `changewatch worker`: serve the pair, tile and assemble queues until SIGTERM or SIGINT. */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { WorkerPool } from "../workers/worker-pool.js";
import { parsePositiveInt } from "./options.js";

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description(
      "process queued runs (run as many as you like, anywhere that shares Redis and the data folder)",
    )
    .option("-c, --concurrency <n>", "tiles scored at once, each in a worker thread", parsePositiveInt, 1)
    .option("--config <file>", "settings file (JSON)")
    .action(async (opts: { concurrency: number; config?: string }) => {
      const settings = loadSettings({ file: opts.config });
      const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
      const pool = await WorkerPool.start(settings, { concurrency: opts.concurrency, log });
      log(
        `worker ${process.pid} ready: concurrency ${opts.concurrency}, redis ${settings.redisUrl}, ` +
          `prefix ${settings.queue.prefix}, data ${settings.dataDir}`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          log(
            `${signal}: finishing running jobs (at most ${settings.queue.shutdownTimeoutMs} ms), taking no new ones`,
          );
          void pool.close().then((finished) => {
            log(finished ? "stopped" : "stopped; unfinished jobs left for other workers");
            resolve();
          });
        };
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
    });
}
