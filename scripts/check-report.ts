/**
 * Opens a run's report in headless Chromium (Debian's `chromium`, driven by playwright-core)
 * as a person would, and checks that every image decoded and that the detection table has
 * one row per detection. `npm run check:report [RUN_DIR] [--screenshot FILE]`: without a
 * run folder it runs `detect` on the Hyesan sample first. Without Chromium it says so and
 * exits 0, so machines without a browser can still run the test command.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The Chromium executable ($CHROMIUM_PATH or Debian's), or null when none is installed. */
export function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_PATHS;
  return candidates.find((p) => existsSync(p)) ?? null;
}

export interface ReportCheck {
  images: number;
  /** Images that did not decode (naturalWidth 0), by alt text. */
  broken: string[];
  rows: number;
  chipPairs: number;
  /** Requests the page tried to make other than for itself (should be none: the report is offline). */
  requests: string[];
}

/** Loads `reportPath` in Chromium with networking off and reports what it found. */
export async function checkReportInChromium(
  reportPath: string,
  executablePath: string,
  screenshotPath?: string,
): Promise<ReportCheck> {
  const userDataDir = await mkdtemp(join(tmpdir(), "changewatch-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const page = await context.newPage();
    const url = pathToFileURL(resolve(reportPath)).href;
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url() !== url && !r.url().startsWith("data:")) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });
    // A string, evaluated in the page: this file is compiled without the DOM's types.
    const found = (await page.evaluate(`(() => {
      const images = [...document.images];
      return {
        images: images.length,
        broken: images.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt),
        rows: document.querySelectorAll("#detections tbody tr").length,
        chipPairs: document.querySelectorAll("section.detection .chips").length,
      };
    })()`)) as Omit<ReportCheck, "requests">;
    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
    return { ...found, requests };
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const shotAt = args.indexOf("--screenshot");
  const screenshot = shotAt >= 0 ? args.splice(shotAt, 2)[1] : undefined;
  const executable = findChromium();
  if (executable === null) {
    console.log(
      `check:report skipped: no Chromium at ${CHROMIUM_PATHS.join(" or ")} (apt-get install chromium)`,
    );
    return 0;
  }
  let runDir = args[0];
  let scratch: string | undefined;
  if (!runDir) {
    const { detectLocal } = await import("../pipeline/run/local-runner.js");
    const { loadSettings } = await import("../config/load.js");
    scratch = await mkdtemp(join(tmpdir(), "changewatch-check-report-"));
    runDir = join(scratch, "hyesan");
    await detectLocal("samples/hyesan/before.tif", "samples/hyesan/after.tif", runDir, {
      settings: loadSettings({ env: {} }),
    });
  }
  try {
    const geojson = JSON.parse(await readFile(join(runDir, "detections.geojson"), "utf8"));
    const expected = geojson.features.length as number;
    const found = await checkReportInChromium(join(runDir, "report.html"), executable, screenshot);
    const problems = [
      ...found.broken.map((alt) => `image did not decode: ${alt}`),
      ...(found.rows !== expected ? [`table has ${found.rows} rows, expected ${expected}`] : []),
      ...(found.chipPairs !== expected ? [`${found.chipPairs} chip pairs, expected ${expected}`] : []),
      ...found.requests.map((r) => `the page requested ${r}`),
    ];
    for (const p of problems) console.error(`check:report: ${p}`);
    if (problems.length === 0) {
      console.log(
        `check:report ok: ${found.images} images decoded, ${found.rows} rows for ${expected} detections`,
      );
    }
    return problems.length === 0 ? 0 : 1;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main();
}
