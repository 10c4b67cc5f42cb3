/**
 * `changewatch report`: a run's report (HTML, or its GeoJSON/CSV) from a run folder or a
 * queued run's id, or a watched site's report over time.
 */
import { copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { loadSettings } from "../config/load.js";
import { ChangewatchError } from "../pipeline/errors.js";
import { buildRunReport, writeRunReport } from "../pipeline/report/run-report.js";
import { buildSiteReport } from "../pipeline/report/site-report.js";
import { readSiteHistory, siteDir } from "../pipeline/sites/history.js";
import { OUTPUT_FILES } from "../pipeline/run/output-files.js";

const FORMATS = ["html", "geojson", "csv"] as const;
type ReportFormat = (typeof FORMATS)[number];

interface ReportFlags {
  format: ReportFormat;
  out?: string;
  site?: string;
  since?: string;
  config?: string;
}

function parseFormat(value: string): ReportFormat {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${FORMATS.join(", ")} but received "${value}"`);
  }
  return value as ReportFormat;
}

/** A run folder given directly, or `<dataDir>/runs/<runId>/` for a queued run's id. */
export async function resolveRunDir(ref: string, dataDir: string): Promise<string> {
  const candidates = /^[0-9a-f]{16}$/.test(ref) ? [ref, join(resolve(dataDir), "runs", ref)] : [ref];
  for (const dir of candidates) {
    const found = await stat(join(dir, OUTPUT_FILES.record)).catch(() => null);
    if (found?.isFile()) return dir;
  }
  throw new ChangewatchError(
    "E_ARGUMENT",
    /^[0-9a-f]{16}$/.test(ref)
      ? `${ref}: no such run folder, nor a run of that id in ${join(resolve(dataDir), "runs")}`
      : `${ref}: not a run folder (no ${OUTPUT_FILES.record})`,
  );
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("write a run's report (HTML, GeoJSON or CSV), or a watched site's report over time")
    .argument("[run]", "run folder (detect --out) or run id of a queued run")
    .option("--format <format>", "html, geojson or csv", parseFormat, "html" as ReportFormat)
    .option("--out <file>", "where to write (default: HTML into the run folder; GeoJSON/CSV to stdout)")
    .option("--site <id>", "report on a watched site's scans over time instead of one run")
    .option("--since <date>", "with --site: only scans of acquisitions from this date (YYYY-MM-DD) on")
    .option("--config <file>", "settings file (JSON)")
    .action(async (ref: string | undefined, opts: ReportFlags) => {
      const settings = loadSettings({ file: opts.config });
      if (opts.site !== undefined) {
        if (opts.since !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(opts.since)) {
          throw new ChangewatchError(
            "E_ARGUMENT",
            `--since: expected a date YYYY-MM-DD but received "${opts.since}"`,
          );
        }
        const history = await readSiteHistory(settings.dataDir, opts.site);
        const html = buildSiteReport(history, { since: opts.since });
        // Beside the history by default, where its relative links to the runs' reports resolve.
        const dir = siteDir(settings.dataDir, opts.site);
        const path = opts.out ?? join(dir, OUTPUT_FILES.report);
        if (!opts.out) await mkdir(dir, { recursive: true });
        await writeFile(path, html);
        console.log(path);
        return;
      }
      if (ref === undefined)
        throw new ChangewatchError("E_ARGUMENT", "give a run folder or run id, or --site ID");
      const dir = await resolveRunDir(ref, settings.dataDir);
      if (opts.format !== "html") {
        const file = join(dir, opts.format === "geojson" ? OUTPUT_FILES.geojson : OUTPUT_FILES.csv);
        if (opts.out) await copyFile(file, opts.out);
        else process.stdout.write(await readFile(file));
        return;
      }
      if (opts.out) {
        await writeFile(opts.out, await buildRunReport(dir));
        console.log(opts.out);
      } else {
        console.log(await writeRunReport(dir));
      }
    });
}
