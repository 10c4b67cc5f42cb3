/** `changewatch detect BEFORE AFTER --out DIR`: the whole in-process pipeline on one pair. */
import { isGeoReferenced } from "../pipeline/align/crs.js";
import type { Command } from "commander";
import { loadSettings } from "../config/load.js";
import { detectLocal } from "../pipeline/run/local-runner.js";
import type { Detection } from "../pipeline/detect/detection.js";
import { formatTable } from "./table.js";
import { progressReporter } from "./progress.js";
import { parsePositiveNumber, parsePositiveInt } from "./options.js";

export function detectionTable(
  detections: readonly Pick<Detection, "id" | "class" | "confidence" | "areaM2" | "centroid">[],
  geographic: boolean,
): string {
  const [cx, cy] = geographic ? ["lon", "lat"] : ["x", "y"];
  const digits = geographic ? 6 : 1;
  return formatTable(
    ["id", "class", "confidence", "area_m2", cx, cy],
    detections.map((d) => [
      d.id,
      d.class,
      d.confidence.toFixed(2),
      Math.round(d.areaM2),
      d.centroid[0].toFixed(digits),
      d.centroid[1].toFixed(digits),
    ]),
  );
}

export function registerDetect(program: Command): void {
  program
    .command("detect")
    .description(
      "detect new construction between two images and write GeoJSON, CSV, mask, quicklook and run.json",
    )
    .argument("<before>", "the earlier image (GeoTIFF, COG URL, PNG or JPEG)")
    .argument("<after>", "the later image")
    .requiredOption("-o, --out <dir>", "output folder (replaced atomically when the run succeeds)")
    .option("--profile <name>", "detection profile (default: chosen from the pixel size)")
    .option("--gsd-m <metres>", "pixel size in metres for images without geo-reference", parsePositiveNumber)
    .option("--model <file>", "learned re-scorer from changewatch train (default: weighted evidence)")
    .option("--tile-size <px>", "tile core size in pixels", parsePositiveInt)
    .option("--config <file>", "settings file (JSON)")
    .option("--json", "print the run record as JSON instead of a table")
    .option("-q, --quiet", "no progress bar")
    .action(async (before: string, after: string, opts) => {
      const settings = loadSettings({
        file: opts.config,
        overrides: opts.tileSize ? { tileSizePx: opts.tileSize } : {},
      });
      const progress = progressReporter(!opts.quiet && !opts.json);
      let result;
      try {
        result = await detectLocal(before, after, opts.out, {
          settings,
          profileName: opts.profile,
          gsdM: opts.gsdM,
          modelPath: opts.model,
          onProgress: (p) => progress.update(p.stage, p.done, p.total),
        });
      } finally {
        progress.stop();
      }
      const { record, detections } = result;
      if (opts.json) {
        process.stdout.write(JSON.stringify(record, null, 2) + "\n");
        return;
      }
      const geographic = isGeoReferenced(record.inputs.before);
      const units = record.gsdSource === "assumed" ? " (pixel size unknown: 1 m assumed, pass --gsd-m)" : "";
      console.log(
        `${detections.length} detection(s); profile ${record.profile.name}, ${record.gsdM} m pixels${units}; ` +
          `shift ${record.alignment.shiftPx.dx.toFixed(2)}, ${record.alignment.shiftPx.dy.toFixed(2)} px; ` +
          `${(record.timingsMs.total / 1000).toFixed(1)} s`,
      );
      if (detections.length > 0) console.log(detectionTable(detections, geographic));
      console.log(`outputs in ${result.outDir}`);
    });
}
