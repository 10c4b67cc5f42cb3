import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultSettings } from "../../../config/defaults.js";
import { loadModel, saveModel } from "../../../pipeline/learn/model-file.js";
import { bestF1Threshold, trainModel } from "../../../pipeline/learn/train.js";
import { pairGroup, samplePair } from "../../../pipeline/learn/training-set.js";
import { detectLocal } from "../../../pipeline/run/local-runner.js";

const dir = mkdtempSync(join(tmpdir(), "cw-learn-"));
const W = 160;
const H = 120;

/** A textured field; `slabs` are bright new buildings, `greened` a field that turned green. */
function scene(slabs: number[][], greened: boolean): Buffer {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = 100 + 8 * Math.sin(x / 2.5) * Math.cos(y / 3.5) + ((x * 7 + y * 13) % 5);
      let c = [t + 25, t + 12, t - 15];
      if (greened && x < 60 && y < 50) c = [t - 40, t + 20, t - 50];
      for (const [sx, sy, sw, sh] of slabs)
        if (x >= sx && x < sx + sw && y >= sy && y < sy + sh) c = [228, 226, 220];
      for (let k = 0; k < 3; k++) px[(y * W + x) * 3 + k] = Math.max(0, Math.min(255, c[k]));
    }
  }
  return px;
}

function label(slabs: number[][]): Buffer {
  const px = Buffer.alloc(W * H);
  for (const [sx, sy, sw, sh] of slabs)
    for (let y = sy; y < sy + sh; y++) px.fill(255, y * W + sx, y * W + sx + sw);
  return px;
}

const pairs: Record<string, number[][]> = {
  "site_a_0000_0000.png": [[90, 20, 30, 14]],
  "site_a_0000_0128.png": [[20, 70, 16, 30]],
  "site_b.png": [[100, 70, 36, 12]],
};

beforeAll(async () => {
  for (const sub of ["A", "B", "label"]) mkdirSync(join(dir, sub));
  const raw = (channels: 1 | 3) => ({ raw: { width: W, height: H, channels } });
  for (const [name, slabs] of Object.entries(pairs)) {
    await sharp(scene([], false), raw(3))
      .png()
      .toFile(join(dir, "A", name));
    await sharp(scene(slabs, true), raw(3))
      .png()
      .toFile(join(dir, "B", name));
    await sharp(label(slabs), raw(1))
      .png()
      .toFile(join(dir, "label", name));
  }
});

describe("pairGroup", () => {
  it("groups LEVIR crops with their source tile", () => {
    expect(pairGroup("test_7_0256_0512.png")).toBe("test_7");
    expect(pairGroup("test_7.png")).toBe("test_7");
    expect(pairGroup("beirut.png")).toBe("beirut");
  });
});

describe("bestF1Threshold", () => {
  it("picks the threshold separating the weighted classes", () => {
    const p = Float32Array.from([0.1, 0.2, 0.3, 0.8, 0.9]);
    const y = Uint8Array.from([0, 0, 0, 1, 1]);
    const t = bestF1Threshold(p, y, new Float32Array(5).fill(1));
    expect(t).toBeGreaterThan(0.3);
    expect(t).toBeLessThanOrEqual(0.8);
  });
});

describe("training the re-scorer", () => {
  it("samples both classes with their true counts, trains, saves, and detects with the model", async () => {
    const settings = defaultSettings;
    const samples = [];
    for (const [i, name] of Object.keys(pairs).entries()) {
      const s = await samplePair(dir, name, { settings, gsdM: 0.5, perClass: 300, seed: i + 1 });
      const [, , sw, sh] = pairs[name][0];
      expect(s.changedPx).toBe(sw * sh);
      expect(s.changedPx + s.unchangedPx).toBe(W * H);
      expect(s.y.filter((v) => v === 1).length).toBe(300);
      samples.push({ ...s, dataset: dir, gsdM: 0.5 });
    }
    const model = trainModel(samples, { trees: 15, maxDepth: 3 });
    const path = join(dir, "model.json");
    await saveModel(path, model);
    const loaded = await loadModel(path);
    expect(loaded.forest.trees).toHaveLength(15);
    expect(loaded.trainedOn[0].pairs).toEqual(Object.keys(pairs));
    // Every pair is 0.5 m, so only the vhr profile gets a threshold of its own.
    expect(Object.keys(loaded.thresholds)).toEqual(["vhr"]);
    expect(loaded.thresholds.vhr).toBeGreaterThan(0);

    const run = await detectLocal(
      join(dir, "A", "site_b.png"),
      join(dir, "B", "site_b.png"),
      join(dir, "out"),
      {
        settings,
        gsdM: 0.5,
        modelPath: path,
      },
    );
    expect(run.detections).toHaveLength(1);
    expect(run.detections[0].centroidPx[0]).toBeCloseTo(118, -1);
    expect(run.detections[0].centroidPx[1]).toBeCloseTo(76, -1);
  });

  it("refuses a model of an older format version, saying to retrain", async () => {
    const old = join(dir, "old-model.json");
    writeFileSync(old, JSON.stringify({ format: "changewatch-model", version: 1 }));
    await expect(loadModel(old)).rejects.toThrow(
      `${old}: is a model of format version 1, this version reads 2; retrain it with this version`,
    );
  });

  it("refuses a model file of another format naming the file", async () => {
    await expect(loadModel(join(dir, "A", "site_b.png"))).rejects.toThrow(
      `${join(dir, "A", "site_b.png")}: not a changewatch model (invalid JSON)`,
    );
  });
});
