/**
 * Scene-relative features: each raw feature is replaced by its rank among the pair's own
 * pixels (0 = lowest in the scene, 1 = highest), read off a table of quantiles fitted once
 * per pair on the plan's sample blocks. A roof that is "greyer than most of this scene"
 * means the same in an Austin suburb in spring and in a Sentinel-2 city in winter, which a
 * raw saturation or change magnitude does not.
 */
import type { EvidenceWorkspace } from "../detect/evidence.js";
import { FEATURE_COUNT, FeatureWorkspace } from "./features.js";

/** Quantiles kept per feature: ranks are interpolated between them (1/64 steps). */
export const RANK_POINTS = 65;

/**
 * Per feature, RANK_POINTS ascending values: the 0, 1/64, ..., 1 quantiles of its finite
 * values in `x` (pixel-interleaved rows of `featureCount`). A feature with no finite value
 * gets an all-zero table.
 */
export function fitFeatureRanks(x: Float32Array, rows: number, featureCount: number): number[][] {
  const column = new Float32Array(rows);
  const tables: number[][] = [];
  for (let f = 0; f < featureCount; f++) {
    let m = 0;
    for (let i = 0, o = f; i < rows; i++, o += featureCount) {
      const v = x[o];
      if (v - v === 0) column[m++] = v;
    }
    const sorted = column.subarray(0, m).sort();
    const table: number[] = [];
    for (let k = 0; k < RANK_POINTS; k++) {
      table.push(m === 0 ? 0 : sorted[Math.round((k * (m - 1)) / (RANK_POINTS - 1))]);
    }
    tables.push(table);
  }
  return tables;
}

/**
 * Replaces every value of `x` (pixel-interleaved rows of tables.length features) in place by
 * its rank in [0, 1]: linear between the quantiles around it, 0 at or below the lowest, 1 at
 * or above the highest. NaN stays NaN.
 */
export function applyFeatureRanks(x: Float32Array, rows: number, tables: readonly number[][]): void {
  const featureCount = tables.length;
  const last = RANK_POINTS - 1;
  for (let f = 0; f < featureCount; f++) {
    const q = Float64Array.from(tables[f]);
    if (q.length !== RANK_POINTS) {
      throw new RangeError(`Expected ${RANK_POINTS} quantiles for feature ${f} but received ${q.length}`);
    }
    const lowest = q[0];
    const highest = q[last];
    for (let i = 0, o = f; i < rows; i++, o += featureCount) {
      const v = x[o];
      if (v !== v) continue;
      if (v <= lowest) {
        x[o] = 0;
        continue;
      }
      if (v >= highest) {
        x[o] = 1;
        continue;
      }
      // Largest j with q[j] <= v; then q[j] <= v < q[j + 1], so the step is never zero.
      let lo = 0;
      let hi = last;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (q[mid] <= v) lo = mid;
        else hi = mid;
      }
      x[o] = (lo + (v - q[lo]) / (q[lo + 1] - q[lo])) / last;
    }
  }
}

/** Every RANK_STRIDE-th sampled pixel feeds the rank tables (odd, so it does not follow image rows). */
const RANK_STRIDE = 7;

/**
 * The raw features of a subsample of the plan's sample blocks, gathered block by block
 * (context features need each block's own geometry), then fitted into rank tables.
 */
export class FeatureSample {
  private readonly x: Float32Array;
  private rows = 0;
  /** Pixels offered so far, to carry the stride across blocks. */
  private offset = 0;
  private workspace: FeatureWorkspace | null = null;

  /** `maxPixels`: the sample blocks' total pixel count. */
  constructor(maxPixels: number) {
    this.x = new Float32Array((Math.ceil(maxPixels / RANK_STRIDE) + 1) * FEATURE_COUNT);
  }

  /** Adds one block on which computeRawEvidence and combineScore just ran (see FeatureWorkspace.compute). */
  add(
    ev: EvidenceWorkspace,
    before: Float32Array,
    after: Float32Array,
    bands: number,
    displayBands: readonly number[],
    width: number,
    height: number,
  ): void {
    const n = width * height;
    if (!this.workspace || this.workspace.capacity < n) this.workspace = new FeatureWorkspace(n);
    const features = this.workspace.compute(ev, before, after, bands, displayBands, width, height);
    // Blocks start where the previous one's stride left off, so the subsample stays even.
    const first = (RANK_STRIDE - (this.offset % RANK_STRIDE)) % RANK_STRIDE;
    for (let i = first; i < n && (this.rows + 1) * FEATURE_COUNT <= this.x.length; i += RANK_STRIDE) {
      this.x.set(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), this.rows * FEATURE_COUNT);
      this.rows++;
    }
    this.offset += n;
  }

  fit(): number[][] {
    return fitFeatureRanks(this.x, this.rows, FEATURE_COUNT);
  }
}
