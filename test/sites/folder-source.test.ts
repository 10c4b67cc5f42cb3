import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../config/defaults.js";
import { loadSites } from "../../config/load-sites.js";
import { openRaster } from "../../pipeline/raster/open-raster.js";
import { aoiWindow, coversAoi } from "../../pipeline/sites/aoi.js";
import { dateFromName, FolderSource } from "../../pipeline/sites/folder-source.js";

const limits = { maxPixels: 1e8, maxBands: 16 };

describe("folder imagery source", () => {
  it("dates files by name, else by their TIFF DateTime tag", async () => {
    expect(dateFromName("2025-07-26-tumen.tif")).toBe("2025-07-26");
    expect(dateFromName("2025-02-30.tif")).toBeNull();
    expect(dateFromName("after.tif")).toBeNull();
    const hyesan = await new FolderSource(resolve("samples/hyesan"), limits).list();
    expect(hyesan.acquisitions.map((a) => [a.id, a.acquiredAt])).toEqual([
      ["before.tif", "2024-05-10T02:31:07Z"],
      ["after.tif", "2025-09-18T02:44:52Z"],
    ]);
  });

  it("lists the Tumen series oldest first with footprints covering the site, and skips bad files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cw-folder-"));
    await writeFile(join(dir, "2025-01-01-broken.tif"), "not a tiff");
    const [, tumen] = await loadSites("config/sites.json", defaultSettings);
    const series = await new FolderSource(tumen.source.path, limits).list();
    expect(series.acquisitions.map((a) => a.acquiredAt.slice(0, 10))).toEqual([
      "2024-10-12",
      "2025-05-30",
      "2025-07-26",
      "2025-10-04",
    ]);
    expect(series.acquisitions.every((a) => coversAoi(a.footprint, tumen.aoi))).toBe(true);
    const broken = await new FolderSource(dir, limits).list();
    expect(broken.acquisitions).toEqual([]);
    expect(broken.skipped[0].id).toBe("2025-01-01-broken.tif");

    const raster = await openRaster(series.acquisitions[0].uri, limits);
    await raster.close();
    const window = aoiWindow(raster.info, tumen.aoi)!;
    // The AOI is the corridor 200-1250 m x 345-495 m of the pair's scene; the series starts at 150 m x 320 m.
    expect(window.x).toBeGreaterThanOrEqual(45);
    expect(window.x).toBeLessThanOrEqual(55);
    expect(window.width).toBeGreaterThan(1040);
    expect(window.height).toBeGreaterThan(140);
    expect(window.y + window.height).toBeLessThanOrEqual(200);
  });
});
