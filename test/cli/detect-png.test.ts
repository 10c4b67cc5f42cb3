import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "cw-png-"));
const W = 240;
const H = 160;
/** The new structure: a bright 40 x 20 px slab at (150, 60). */
const SLAB = { x: 150, y: 60, width: 40, height: 20 };

function scene(withSlab: boolean, gain: number): Buffer {
  const px = Buffer.alloc(W * H * 3);
  let s = 12345;
  const rand = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Fields of slightly different soil colours with fine texture, identical on both dates
      // apart from a global brightness change (illumination) and the new slab.
      const field = ((Math.floor(x / 60) + Math.floor(y / 40)) % 3) * 12;
      const t = 90 + field + 6 * Math.sin(x / 3) * Math.cos(y / 4);
      const inSlab =
        withSlab && x >= SLAB.x && x < SLAB.x + SLAB.width && y >= SLAB.y && y < SLAB.y + SLAB.height;
      const base = inSlab ? [225, 222, 215] : [t + 20, t + 10, t - 10];
      for (let c = 0; c < 3; c++)
        px[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, base[c] * gain + 4 * (rand() - 0.5)));
    }
  }
  return px;
}

beforeAll(async () => {
  await sharp(scene(false, 1), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(join(dir, "before.png"));
  await sharp(scene(true, 1.1), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(join(dir, "after.png"));
});

describe("changewatch detect on a PNG pair without geo-reference", () => {
  it("finds the new slab in pixel coordinates with areas from --gsd-m", () => {
    const out = join(dir, "out");
    const r = spawnSync(
      process.execPath,
      [
        "dist/cli/main.js",
        "detect",
        join(dir, "before.png"),
        join(dir, "after.png"),
        "--out",
        out,
        "--gsd-m",
        "0.5",
        "-q",
      ],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("1 detection(s); profile vhr, 0.5 m pixels");
    const geojson = JSON.parse(readFileSync(join(out, "detections.geojson"), "utf8"));
    expect(geojson["changewatch:coordinates"]).toBe("pixel");
    expect(geojson.features).toHaveLength(1);
    const p = geojson.features[0].properties;
    expect(p.centroid[0]).toBeCloseTo(SLAB.x + SLAB.width / 2, 0);
    expect(p.centroid[1]).toBeCloseTo(SLAB.y + SLAB.height / 2, 0);
    // 40 x 20 px at 0.5 m = 200 m²; the score smoothing (2 px) spreads a strong change up to 2 px past its edges.
    expect(p.area_m2).toBeGreaterThan(180);
    expect(p.area_m2).toBeLessThan(280);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run.gsdSource).toBe("option");
    expect(run.inputs.before.epsg).toBeNull();
  });
});
