/** `changewatch submit BEFORE AFTER`: queue a pair for the workers; with --wait, follow it to the end. */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { checkRedis, redisConnection } from "../workers/redis-connection.js";
import { RunQueues } from "../workers/run-queues.js";
import { submitRun } from "../workers/submit-run.js";
import { waitForRun } from "../workers/wait-for-run.js";
import { detectionTable } from "./detect-command.js";
import { parsePositiveInt, parsePositiveNumber } from "./options.js";
import { progressReporter } from "./progress.js";

interface SubmitFlags {
  site?: string;
  profile?: string;
  gsdM?: number;
  model?: string;
  tileSize?: number;
  config?: string;
  wait?: boolean;
  force?: boolean;
  quiet?: boolean;
}

export function registerSubmit(program: Command): void {
  program
    .command("submit")
    .description("queue a before/after pair for the workers; prints the job id at once")
    .argument("<before>", "the earlier image (path the workers can read, or a COG URL)")
    .argument("<after>", "the later image")
    .option("--site <id>", "the watched site this pair belongs to")
    .option("--profile <name>", "detection profile (default: chosen from the pixel size)")
    .option("--gsd-m <metres>", "pixel size in metres for images without geo-reference", parsePositiveNumber)
    .option("--model <file>", "learned re-scorer from changewatch train")
    .option("--tile-size <px>", "tile core size in pixels", parsePositiveInt)
    .option("--config <file>", "settings file (JSON)")
    .option("--wait", "show progress until the run is done, then where the outputs are and the detections")
    .option("--force", "run again even if this pair was already processed with these settings")
    .option("-q, --quiet", "no progress bar")
    .action(async (before: string, after: string, opts: SubmitFlags) => {
      const settings = loadSettings({
        file: opts.config,
        overrides: opts.tileSize ? { tileSizePx: opts.tileSize } : {},
      });
      const connection = redisConnection(settings.redisUrl, "client");
      const queues = new RunQueues(connection, settings.queue);
      try {
        await checkRedis(connection, settings.redisUrl);
        const submission = await submitRun(queues, settings, {
          before,
          after,
          site: opts.site,
          profileName: opts.profile,
          gsdM: opts.gsdM,
          modelPath: opts.model,
          force: opts.force,
        });
        console.log(submission.runKey);
        if (submission.duplicate) {
          console.error(
            `already submitted (pair job ${submission.state}): not queued again; --force runs it again`,
          );
        }
        if (!opts.wait) return;
        const progress = progressReporter(!opts.quiet);
        let result;
        try {
          result = await waitForRun(queues, connection, submission.runKey, (p) =>
            progress.update(p.stage, p.done, p.total),
          );
        } finally {
          progress.stop();
        }
        const seconds = (result.timingsMs.total / 1000).toFixed(1);
        console.log(
          `${result.detections.length} detection(s); profile ${result.profile}, ${result.gsdM} m pixels; ${seconds} s`,
        );
        if (result.detections.length > 0) console.log(detectionTable(result.detections, result.geographic));
        console.log(`outputs in ${result.outDir}`);
      } finally {
        await queues.close();
        connection.disconnect();
      }
    });
}
