import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../../../config/defaults.js";
import { FEATURE_COUNT, FEATURE_NAMES } from "../../../pipeline/learn/features.js";
import { detectLocal } from "../../../pipeline/run/local-runner.js";

const dir = mkdtempSync(join(tmpdir(), "cw-model-rules-"));
const W = 160;
const H = 120;

/** A textured field; with `greened`, its top-left 60x50 px turned green (growth, not construction). */
function scene(greened: boolean): Buffer {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = 100 + 8 * Math.sin(x / 2.5) * Math.cos(y / 3.5) + ((x * 7 + y * 13) % 5);
      const c = greened && x < 60 && y < 50 ? [t - 40, t + 20, t - 50] : [t + 25, t + 12, t - 15];
      for (let k = 0; k < 3; k++) px[(y * W + x) * 3 + k] = Math.max(0, Math.min(255, c[k]));
    }
  }
  return px;
}

/** A one-split model: changed exactly where the vegetation change ranks in the scene's top tenth. */
function vegetationModel(): object {
  const feature = FEATURE_NAMES.indexOf("vegetation_change");
  return {
    format: "changewatch-model",
    version: 2,
    features: FEATURE_NAMES,
    forest: {
      featureCount: FEATURE_COUNT,
      bias: -5,
      trees: [
        {
          feature: [feature, -1, -1],
          threshold: [0.9, 0, 0],
          left: [1, -1, -1],
          right: [2, -1, -1],
          value: [0, -5, 10],
        },
      ],
    },
    threshold: 0.5,
    thresholds: {},
    trainedOn: [],
    createdAt: "2026-11-24T00:00:00.000Z",
  };
}

const before = join(dir, "before.png");
const after = join(dir, "after.png");
const modelPath = join(dir, "model.json");

beforeAll(async () => {
  const raw = { raw: { width: W, height: H, channels: 3 as const } };
  await sharp(scene(false), raw).png().toFile(before);
  await sharp(scene(true), raw).png().toFile(after);
  writeFileSync(modelPath, JSON.stringify(vegetationModel()));
});

describe("a learned model and the hand rejection rules", () => {
  it("without a model, the greened field is rejected as vegetation", async () => {
    const out = join(dir, "no-model");
    const run = await detectLocal(before, after, out, { settings: defaultSettings, gsdM: 0.5 });
    expect(run.detections).toHaveLength(0);
    const record = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(record.counts.rejected.vegetation).toBeGreaterThanOrEqual(1);
  });

  it("with a model, the model's region is kept: the rules do not veto it", async () => {
    const out = join(dir, "model");
    const run = await detectLocal(before, after, out, { settings: defaultSettings, gsdM: 0.5, modelPath });
    expect(run.detections).toHaveLength(1);
    const [x0, y0, x1, y1] = run.detections[0].bboxPx;
    expect(x0).toBeLessThanOrEqual(2);
    expect(y0).toBeLessThanOrEqual(2);
    expect(x1).toBeCloseTo(60, -1);
    expect(y1).toBeCloseTo(50, -1);
  });
});
