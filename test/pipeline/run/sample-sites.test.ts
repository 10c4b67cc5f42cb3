import { readFile, rm } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../../../config/defaults.js";
import { DETECTION_CLASSES } from "../../../pipeline/detect/detection.js";
import { loadTruth, matchTruth } from "../../../pipeline/eval/truth-match.js";
import { OUTPUT_FILES } from "../../../pipeline/run/assemble.js";
import { detectLocal } from "../../../pipeline/run/local-runner.js";

const out = mkdtempSync(join(tmpdir(), "cw-sites-"));
afterAll(() => rm(out, { recursive: true, force: true }));

describe.each(["hyesan", "tumen"])("detect on the %s sample", (site) => {
  const runDir = join(out, site);
  const run = detectLocal(`samples/${site}/before.tif`, `samples/${site}/after.tif`, runDir, {
    settings: defaultSettings,
  });

  it("finds at least 90% of the truth structures, with at least 80% of detections on truth and 80% right classes", async () => {
    const { record, detections } = await run;
    const truth = await loadTruth(`samples/${site}/truth.geojson`, record.inputs.before);
    const m = matchTruth(detections, truth, record.inputs.before.width, record.inputs.before.height);
    const missed = m.structures.filter((s) => !s.found).map((s) => s.id);
    expect(m.recall, `missed: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.9);
    expect(
      m.precision,
      `${m.detectionsOnTruth} of ${m.detections} detections on truth`,
    ).toBeGreaterThanOrEqual(0.8);
    expect(m.classAccuracy).toBeGreaterThanOrEqual(0.8);
  });

  it("finds and corrects the known misregistration", async () => {
    const { record } = await run;
    const expected = site === "hyesan" ? { dx: 1.3, dy: -0.8 } : { dx: -1.6, dy: 1.1 };
    expect(record.alignment.shiftApplied).toBe(true);
    expect(record.alignment.shiftPx.dx).toBeCloseTo(expected.dx, 0);
    expect(record.alignment.shiftPx.dy).toBeCloseTo(expected.dy, 0);
    expect(Math.abs(record.alignment.shiftPx.dx - expected.dx)).toBeLessThan(0.25);
    expect(Math.abs(record.alignment.shiftPx.dy - expected.dy)).toBeLessThan(0.25);
  });

  it("writes GeoJSON in WGS84 near the site, CSV, mask, quicklook and run.json", async () => {
    const { record, detections } = await run;
    const geojson = JSON.parse(await readFile(join(runDir, OUTPUT_FILES.geojson), "utf8"));
    expect(geojson.type).toBe("FeatureCollection");
    expect(geojson.features).toHaveLength(detections.length);
    const [lon, lat] = site === "hyesan" ? [128.19, 41.39] : [130.64, 42.42];
    for (const f of geojson.features) {
      expect(f.geometry.type).toBe("Polygon");
      const ring = f.geometry.coordinates[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(Math.abs(f.properties.centroid[0] - lon)).toBeLessThan(0.02);
      expect(Math.abs(f.properties.centroid[1] - lat)).toBeLessThan(0.02);
      expect(DETECTION_CLASSES).toContain(f.properties.class);
      expect(f.properties.confidence).toBeGreaterThanOrEqual(0);
      expect(f.properties.confidence).toBeLessThanOrEqual(1);
      expect(f.properties.area_m2).toBeGreaterThan(0);
      expect(f.properties.bbox_px).toHaveLength(4);
      expect(typeof f.properties.evidence_structure).toBe("number");
    }
    const csv = (await readFile(join(runDir, OUTPUT_FILES.csv), "utf8")).trimEnd().split("\r\n");
    expect(csv).toHaveLength(detections.length + 1);
    expect(csv[0].split(",").slice(0, 4)).toEqual(["id", "class", "confidence", "area_m2"]);

    const meta = await sharp(join(runDir, OUTPUT_FILES.mask)).metadata();
    expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([
      record.inputs.before.width,
      record.inputs.before.height,
      1,
      "uchar",
    ]);
    const mask = await sharp(join(runDir, OUTPUT_FILES.mask))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(new Set(mask.data)).toEqual(new Set([0, 255]));
    const changed = mask.data.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    expect(changed).toBe(detections.reduce((n, d) => n + d.areaPx, 0));

    const quicklook = await sharp(join(runDir, OUTPUT_FILES.quicklook)).metadata();
    expect(quicklook.width).toBe(record.alignment.overlapPx.width);

    const saved = JSON.parse(await readFile(join(runDir, OUTPUT_FILES.record), "utf8"));
    expect(saved.software.name).toBe("changewatch");
    expect(saved.counts.detections).toBe(detections.length);
    expect(Object.keys(saved.timingsMs)).toEqual(
      expect.arrayContaining(["open", "plan", "tiles", "assemble", "total"]),
    );
    expect(saved.settings.tileSizePx).toBe(defaultSettings.tileSizePx);
  });
});

describe("tiling", () => {
  it("gives the same detections and mask with 128 px tiles (many seams) as with one tile", async () => {
    const whole = await detectLocal(
      "samples/hyesan/before.tif",
      "samples/hyesan/after.tif",
      join(out, "whole"),
      {
        settings: { ...defaultSettings, tileSizePx: 4096 },
      },
    );
    const tiled = await detectLocal(
      "samples/hyesan/before.tif",
      "samples/hyesan/after.tif",
      join(out, "tiled"),
      {
        settings: { ...defaultSettings, tileSizePx: 128 },
      },
    );
    expect(tiled.record.tiles.count).toBeGreaterThan(40);
    const key = (d: (typeof whole.detections)[number]) =>
      [d.id, d.class, d.areaPx, d.bboxPx.join(" ")].join("|");
    expect(tiled.detections.map(key)).toEqual(whole.detections.map(key));
    const maskOf = (dir: string) => sharp(join(dir, OUTPUT_FILES.mask)).raw().toBuffer();
    expect((await maskOf(join(out, "tiled"))).equals(await maskOf(join(out, "whole")))).toBe(true);
  });
});
