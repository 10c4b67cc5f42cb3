import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeGeoTiff } from "../../pipeline/raster/geotiff-writer.js";

const dir = mkdtempSync(join(tmpdir(), "cw-bad-input-"));
const HYESAN = "samples/hyesan/before.tif";

/** Runs the compiled CLI (built by the global setup) and returns its exit status and output. */
function detect(before: string, after: string, env: Record<string, string> = {}) {
  const out = join(dir, "out", `${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, ["dist/cli/main.js", "detect", before, after, "--out", out, "-q"], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: r.status, stderr: r.stderr.trim(), out };
}

function expectCleanFailure(result: ReturnType<typeof detect>, message: string) {
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`error: ${message}`);
  expect(existsSync(result.out)).toBe(false);
  const parent = join(dir, "out");
  if (existsSync(parent)) expect(readdirSync(parent).filter((n) => n.includes(".partial-"))).toEqual([]);
}

const utm = (originX: number) => ({
  epsg: 32652,
  transform: { originX, originY: 4582569, pixelWidth: 0.5, pixelHeight: -0.5 },
});

beforeAll(async () => {
  writeFileSync(join(dir, "notes.tif"), "these are field notes, not an image\n");
  const bytes = readFileSync(HYESAN);
  writeFileSync(join(dir, "truncated.tif"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  copyFileSync(HYESAN, join(dir, "copy.tif"));
  const rgb = new Uint8Array(64 * 64 * 3).map((_, i) => (i * 37) % 251);
  const base = { width: 64, height: 64, sampleType: "uint8" as const };
  await writeGeoTiff(join(dir, "a.tif"), rgb, { ...base, bands: 3, ...utm(432031) });
  await writeGeoTiff(join(dir, "far.tif"), rgb, { ...base, bands: 3, ...utm(532031) });
  await writeGeoTiff(join(dir, "grey.tif"), rgb.subarray(0, 64 * 64), { ...base, bands: 1, ...utm(432031) });
  await writeGeoTiff(join(dir, "empty.tif"), new Uint8Array(64 * 64 * 3), {
    ...base,
    bands: 3,
    nodata: 0,
    ...utm(432031),
  });
});

describe("changewatch detect on bad input: one clear line, exit 1, no output folder", () => {
  it("a missing file", () => {
    const missing = join(dir, "nowhere.tif");
    expectCleanFailure(detect(missing, HYESAN), `${missing}: file not found`);
  });

  it("a file that is not an image", () => {
    const notes = join(dir, "notes.tif");
    expectCleanFailure(detect(HYESAN, notes), `${notes}: not a GeoTIFF, PNG or JPEG image`);
  });

  it("a truncated TIFF", () => {
    const truncated = join(dir, "truncated.tif");
    const r = detect(truncated, HYESAN);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: ${truncated}: file is truncated: image data ends at byte \\d+ but the file has \\d+ bytes$`,
      ),
    );
    expectCleanFailure(r, r.stderr.slice("error: ".length));
  });

  it("an image over the configured pixel limit", () => {
    expectCleanFailure(
      detect(HYESAN, join(dir, "copy.tif"), { CHANGEWATCH_MAX_PIXELS: "100000" }),
      `${HYESAN}: image is 1000 x 800 = 800000 pixels, more than the limit of 100000`,
    );
  });

  it("a pair that does not overlap", () => {
    const r = detect(join(dir, "a.tif"), join(dir, "far.tif"));
    expect(r.stderr).toMatch(
      new RegExp(`^error: ${join(dir, "a.tif")}: does not overlap ${join(dir, "far.tif")}`),
    );
    expectCleanFailure(r, r.stderr.slice("error: ".length));
  });

  it("band counts that cannot be matched", () => {
    const grey = join(dir, "grey.tif");
    expectCleanFailure(
      detect(join(dir, "a.tif"), grey),
      `${grey}: has 1 band(s) but ${join(dir, "a.tif")} has 3: the two images must have the same bands`,
    );
  });

  it("an image holding nothing but nodata", () => {
    const empty = join(dir, "empty.tif");
    expectCleanFailure(
      detect(join(dir, "a.tif"), empty),
      `${empty}: has no valid pixels where the two images overlap (all nodata)`,
    );
  });
});
