/**
 * Training samples for the learned re-scorer: every labelled pair is planned and scored
 * window by window exactly as detection does, and a fixed number of changed and unchanged
 * pixels is drawn from it (reservoir sampling), with the pair's true class counts kept so
 * the class balance of the real data can be restored when choosing the threshold.
 */
import { join, parse } from "node:path";
import type { Settings } from "../../config/schema.js";
import { mulberry32 } from "../core/random.js";
import { EvidenceWorkspace } from "../detect/evidence.js";
import { readTruth } from "../eval/evaluate-dataset.js";
import { InputError } from "../errors.js";
import { closePair, openPair, planPair } from "../run/plan-pair.js";
import { prepareWindow, readAlignedWindow, windowFeatures } from "../run/window-score.js";
import { FEATURE_COUNT, FeatureWorkspace } from "./features.js";

export interface PairSample {
  name: string;
  /** Pairs of one group (a source tile, a city) are never split between training and testing. */
  group: string;
  /** The detection profile the pair's pixel size selects (thresholds are chosen per profile). */
  profile: string;
  x: Float32Array;
  y: Uint8Array;
  /** Labelled changed and unchanged pixels of the whole pair (not just the sample). */
  changedPx: number;
  unchangedPx: number;
}

/**
 * The group of a labelled pair: LEVIR crops are named `<tile>_<x>_<y>` after the full tile
 * they were cut from, so crops of one tile share a group; any other name is its own group.
 */
export function pairGroup(fileName: string): string {
  return parse(fileName).name.replace(/_\d{4}_\d{4}$/, "");
}

class Reservoir {
  readonly x: Float32Array;
  seen = 0;
  private kept = 0;
  constructor(
    private readonly capacity: number,
    private readonly rand: () => number,
  ) {
    this.x = new Float32Array(capacity * FEATURE_COUNT);
  }
  offer(features: Float32Array, row: number): void {
    this.seen++;
    let slot = this.kept;
    if (this.kept < this.capacity) this.kept++;
    else {
      slot = Math.floor(this.rand() * this.seen);
      if (slot >= this.capacity) return;
    }
    this.x.set(features.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT), slot * FEATURE_COUNT);
  }
  rows(): Float32Array {
    return this.x.subarray(0, this.kept * FEATURE_COUNT);
  }
}

export interface SampleOptions {
  settings: Settings;
  gsdM?: number;
  /** Pixels drawn per class per pair. */
  perClass: number;
  seed: number;
}

export async function samplePair(
  datasetDir: string,
  name: string,
  options: SampleOptions,
): Promise<PairSample> {
  const { settings } = options;
  const rand = mulberry32(options.seed);
  const truth = await readTruth(join(datasetDir, "label", name));
  const pair = await openPair(join(datasetDir, "A", name), join(datasetDir, "B", name), settings);
  try {
    const plan = await planPair(pair, { settings, gsdM: options.gsdM, learnedFeatures: true });
    if (truth.width !== plan.before.width || truth.height !== plan.before.height) {
      throw new InputError(
        "E_BANDS_MISMATCH",
        join(datasetDir, "label", name),
        "label size differs from the image size",
      );
    }
    const changed = new Reservoir(options.perClass, rand);
    const unchanged = new Reservoir(options.perClass, rand);
    const largest = Math.max(...plan.tiles.tiles.map((t) => t.window.width * t.window.height));
    const ws = new EvidenceWorkspace(largest);
    const fws = new FeatureWorkspace(largest);
    for (const tile of plan.tiles.tiles) {
      const { window, core } = tile;
      const { before, after } = await readAlignedWindow(plan, pair, window);
      prepareWindow(plan, before, after, window.width, window.height, ws);
      const x = windowFeatures(plan, before, after, window.width, window.height, ws, fws);
      for (let y = core.y; y < core.y + core.height; y++) {
        for (let xx = core.x; xx < core.x + core.width; xx++) {
          const row = (y - window.y) * window.width + (xx - window.x);
          if (x[row * FEATURE_COUNT] !== x[row * FEATURE_COUNT]) continue;
          (truth.mask[y * truth.width + xx] ? changed : unchanged).offer(x, row);
        }
      }
    }
    const pos = changed.rows();
    const neg = unchanged.rows();
    const x = new Float32Array(pos.length + neg.length);
    x.set(pos);
    x.set(neg, pos.length);
    const y = new Uint8Array(x.length / FEATURE_COUNT);
    y.fill(1, 0, pos.length / FEATURE_COUNT);
    return {
      name,
      group: pairGroup(name),
      profile: plan.profile.name,
      x,
      y,
      changedPx: changed.seen,
      unchangedPx: unchanged.seen,
    };
  } finally {
    await closePair(pair);
  }
}
