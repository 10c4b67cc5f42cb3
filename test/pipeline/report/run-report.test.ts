/**
 * The run report of the Hyesan sample, as `detect` writes it: one self-contained file (every
 * image inlined, nothing fetched), one table row and one before/after chip pair per
 * detection in confidence order, and a report that still builds when the images are gone.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../../config/load.js";
import { chipWindow } from "../../../pipeline/report/chips.js";
import { buildRunReport } from "../../../pipeline/report/run-report.js";
import { readRunFolder } from "../../../pipeline/report/run-folder.js";
import { detectLocal } from "../../../pipeline/run/local-runner.js";
import { OUTPUT_FILES } from "../../../pipeline/run/output-files.js";
import type { Detection } from "../../../pipeline/detect/detection.js";
import { checkReportInChromium, findChromium } from "../../../scripts/check-report.js";
import { SAMPLES, tempDir } from "../../workers/queue-fixtures.js";

const chromiumPath = findChromium();

describe("run report", () => {
  let runDir: string;
  let detections: Detection[];
  let html: string;

  beforeAll(async () => {
    runDir = join(await tempDir("report"), "hyesan");
    const result = await detectLocal(SAMPLES.hyesan.before, SAMPLES.hyesan.after, runDir, {
      settings: loadSettings({ env: {} }),
    });
    detections = result.detections;
    html = await readFile(join(runDir, OUTPUT_FILES.report), "utf8");
  });

  it("is written by detect and names the site, the dates and the pixel size", () => {
    expect(detections.length).toBeGreaterThan(3);
    expect(html).toContain("<h1>hyesan: 2024-05-10 → 2025-09-18</h1>");
    expect(html).toContain("0.50 m pixels");
    expect(html).toMatch(/alignment shift<\/th><td>\+1\.\d\d, −0\.\d\d px \(applied/);
  });

  it("is self-contained: images are data: URIs and only map links point outside", () => {
    const sources = [...html.matchAll(/\bsrc="([^"]*)"/g)].map((m) => m[1]);
    expect(sources.length).toBe(1 + 2 * detections.length);
    for (const src of sources) expect(src).toMatch(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/);
    const external = [...html.matchAll(/\b(?:href|src|action|url)\s*[=(]\s*["']?(https?:[^"')\s]*)/gi)].map(
      (m) => m[1],
    );
    expect(external.length).toBe(2 * detections.length);
    for (const url of external) expect(url).toMatch(/^https:\/\/www\.openstreetmap\.org\/\?mlat=/);
    expect(html).not.toMatch(/<script|<link|<iframe|@import/i);
  });

  it("has one table row and one chip pair per detection, most confident first", () => {
    const rowIds = [...html.matchAll(/<tr class="detection-row" id="row-([^"]+)"/g)].map((m) => m[1]);
    expect(rowIds).toEqual(detections.map((d) => d.id));
    const cardIds = [...html.matchAll(/<section class="card detection" id="det-([^"]+)"/g)].map((m) => m[1]);
    expect(cardIds).toEqual(rowIds);
    expect(html.match(/class="chip chip-before"/g)).toHaveLength(detections.length);
    expect(html.match(/class="chip chip-after"/g)).toHaveLength(detections.length);
    const confidences = detections.map((d) => d.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it("draws chips that decode, 240 px, with the outline in the class colour", async () => {
    const first = html.match(/class="chip chip-after"[^>]*src="data:image\/jpeg;base64,([^"]+)"/);
    const jpeg = Buffer.from(first![1], "base64");
    const { info, data } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([240, 240]);
    // apartment_block red (#ff3b30) is on the outline somewhere: JPEG tolerance 40 per channel.
    let red = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (data[i] > 215 && data[i + 1] < 100 && data[i + 2] < 90) red++;
    }
    expect(detections[0].class).toBe("apartment_block");
    expect(red).toBeGreaterThan(50);
  });

  it("carries outlines back onto the before grid within a twentieth of a pixel (GeoJSON keeps 1 cm)", async () => {
    const run = await readRunFolder(runDir);
    for (const d of detections) {
      const back = run.detections.find((r) => r.id === d.id)!;
      // GeoJSON rings wind the other way (RFC 7946), so the pixel ring comes back reversed.
      const expected = d.polygonPx.slice().reverse();
      expect(back.polygonPx).toHaveLength(expected.length);
      back.polygonPx.forEach(([x, y], i) => {
        expect(Math.abs(x - expected[i][0])).toBeLessThan(0.05);
        expect(Math.abs(y - expected[i][1])).toBeLessThan(0.05);
      });
    }
  });

  it("still builds, with a note instead of chips, when the source images are gone", async () => {
    const moved = join(await tempDir("report-moved"), "run");
    await mkdir(moved);
    for (const file of [OUTPUT_FILES.record, OUTPUT_FILES.geojson, OUTPUT_FILES.quicklook]) {
      await copyFile(join(runDir, file), join(moved, file));
    }
    const record = JSON.parse(await readFile(join(moved, OUTPUT_FILES.record), "utf8"));
    record.inputs.before.path = "/nonexistent/before.tif";
    await writeFile(join(moved, OUTPUT_FILES.record), JSON.stringify(record));
    const page = await buildRunReport(moved, { site: "Hyesan soldier city" });
    expect(page).toContain("<h1>Hyesan soldier city: 2024-05-10 → 2025-09-18</h1>");
    expect(page).toMatch(
      /No chips: source images cannot be read: \/nonexistent\/before\.tif: file not found/,
    );
    expect(page.match(/class="detection-row"/g)).toHaveLength(detections.length);
  });

  // Skipped where Debian's chromium is not installed (.ci/run installs it).
  it.skipIf(chromiumPath === null)("opens in Chromium offline with every image decoded", async () => {
    const found = await checkReportInChromium(join(runDir, OUTPUT_FILES.report), chromiumPath!);
    expect(found).toEqual({
      images: 1 + 2 * detections.length,
      broken: [],
      rows: detections.length,
      chipPairs: detections.length,
      requests: [],
    });
  });

  it("reports a folder that is not a run by its file", async () => {
    const empty = await tempDir("report-empty");
    await expect(buildRunReport(empty)).rejects.toThrow(`${join(empty, "run.json")}: not found`);
  });
});

describe("chipWindow", () => {
  it("centres a square on the structure with half its size as margin", () => {
    expect(chipWindow([100, 200, 160, 220])).toEqual({ x: 70, y: 150, width: 120, height: 120 });
  });

  it("keeps at least 12 px of margin and 48 px a side", () => {
    expect(chipWindow([10, 10, 14, 12])).toEqual({ x: -12, y: -13, width: 48, height: 48 });
    expect(chipWindow([0, 0, 30, 30])).toEqual({ x: -15, y: -15, width: 60, height: 60 });
  });
});
