/** `changewatch eval --dataset DIR --out DIR`: accuracy against a labelled dataset folder. */
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { evaluateDataset } from "../pipeline/eval/evaluate-dataset.js";
import { parsePositiveNumber } from "./options.js";
import { progressReporter } from "./progress.js";
import { formatTable } from "./table.js";

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("run detection on every pair of a labelled dataset (A/, B/, label/) and score it")
    .requiredOption("--dataset <dir>", "dataset folder with A/, B/ and label/ holding same-named images")
    .requiredOption("-o, --out <dir>", "where masks/ and metrics.json are written")
    .option("--gsd-m <metres>", "pixel size in metres for images without geo-reference", parsePositiveNumber)
    .option("--profile <name>", "detection profile (default: chosen from the pixel size)")
    .option("--model <file>", "learned re-scorer from changewatch train")
    .option("--config <file>", "settings file (JSON)")
    .option("-q, --quiet", "no progress bar")
    .action(async (opts) => {
      const settings = loadSettings({ file: opts.config });
      const progress = progressReporter(!opts.quiet);
      let evaluation;
      try {
        evaluation = await evaluateDataset(opts.dataset, opts.out, {
          settings,
          profileName: opts.profile,
          gsdM: opts.gsdM,
          modelPath: opts.model,
          onPair: (done, total) => progress.update("pairs", done, total),
        });
      } finally {
        progress.stop();
      }
      const f = (v: number) => v.toFixed(3);
      console.log(
        formatTable(
          ["pair", "size", "truth_px", "pred_px", "dets", "objects", "found", "precision", "recall", "f1"],
          evaluation.pairs.map((p) => [
            p.name,
            `${p.width}x${p.height}`,
            p.truthPx,
            p.predictedPx,
            p.detections,
            p.objects,
            p.objectsFound,
            f(p.precision),
            f(p.recall),
            f(p.f1),
          ]),
        ),
      );
      const s = evaluation.pooled;
      console.log(
        `pooled: precision ${f(s.precision)} recall ${f(s.recall)} F1 ${f(s.f1)} IoU ${f(s.iou)}; ` +
          `object recall ${f(evaluation.objectRecall)}; mean pair F1 ${f(evaluation.meanPairF1)}`,
      );
      console.log(`masks and metrics.json in ${opts.out}`);
    });
}
