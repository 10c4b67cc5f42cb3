/**
 * Per-pixel features for the learned re-scorer: the evidence of one window in the pair's
 * noise units, the scene-relative brightness and colour saturation of both dates, and the
 * same cues averaged over a small and a wider neighbourhood (context: a roof's edges,
 * a lawn around a house).
 */
import { boxMean } from "../core/filters.js";
import type { BrightnessLevels, EvidenceUnits, EvidenceWorkspace } from "../detect/evidence.js";

export const FEATURE_NAMES = [
  "evidence_score",
  "spectral",
  "brightness_change",
  "structure_change",
  "vegetation_before",
  "vegetation_after",
  "water_before",
  "water_after",
  "shadow",
  "brightness_before",
  "brightness_after",
  "edges_before",
  "edges_after",
  "saturation_before",
  "saturation_after",
  "near_spectral",
  "near_abs_brightness_change",
  "near_abs_structure_change",
  "near_edges_after",
  "near_vegetation_after",
  "wide_spectral",
  "wide_abs_brightness_change",
  "wide_abs_structure_change",
  "wide_edges_after",
  "wide_vegetation_after",
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Neighbourhood radii (pixels) of the "near" and "wide" context features. */
export const CONTEXT_RADII_PX = { near: 2, wide: 7 };

export interface FeatureScales {
  units: EvidenceUnits;
  levels: BrightnessLevels;
  /** Brightness range of the scene (2nd-98th percentile spread), to make brightness scene-relative. */
  brightnessRange: number;
  /** The pair's threshold of the weighted-evidence score: the score feature is expressed in it. */
  evidenceThreshold: number;
}

/**
 * Reusable buffers for computeFeatures; `capacity` is the largest window in pixels.
 */
export class FeatureWorkspace {
  readonly capacity: number;
  readonly features: Float32Array;
  private readonly plain: Float32Array[];
  private readonly smooth: Float32Array;
  private readonly scratch: Float32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.features = new Float32Array(capacity * FEATURE_COUNT);
    this.plain = Array.from({ length: 5 }, () => new Float32Array(capacity));
    this.smooth = new Float32Array(capacity);
    this.scratch = new Float32Array(capacity);
  }

  /**
   * Fills `features` (pixel-interleaved, row-major, length width*height*FEATURE_COUNT) from
   * an evidence workspace on which computeRawEvidence and combineScore ran for the same
   * window (the hand-weighted score is the first feature, so the model refines it). `before` and
   * `after` are the window's images (pixel-interleaved, `bands` bands) for colour saturation;
   * `displayBands` are the bands saturation is measured on. NaN evidence gives NaN features.
   */
  compute(
    ev: EvidenceWorkspace,
    before: Float32Array,
    after: Float32Array,
    bands: number,
    displayBands: readonly number[],
    width: number,
    height: number,
    scales: FeatureScales,
  ): Float32Array {
    const n = width * height;
    if (n > this.capacity) throw new RangeError(`Expected at most ${this.capacity} pixels but received ${n}`);
    const F = FEATURE_COUNT;
    const out = this.features;
    const { units, levels, brightnessRange, evidenceThreshold } = scales;
    const [absSpectral, absBright, absStruct, edgesAfter, vegAfter] = this.plain;
    for (let i = 0; i < n; i++) {
      const o = i * F;
      out[o] = ev.score[i] / evidenceThreshold;
      const p = o + 1;
      const sp = ev.spectral[i] / units.spectral;
      const db = ev.brightness[i] / units.brightness;
      const ds = ev.structure[i] / units.structure;
      const ea = ev.gradAfter[i] / units.structure;
      out[p + 0] = sp;
      out[p + 1] = db;
      out[p + 2] = ds;
      out[p + 3] = ev.vegBefore[i];
      out[p + 4] = ev.vegAfter[i];
      out[p + 5] = ev.waterBefore[i];
      out[p + 6] = ev.waterAfter[i];
      out[p + 7] = ev.shadow[i];
      out[p + 8] = (ev.brightBefore[i] - levels.shadow) / brightnessRange;
      out[p + 9] = (ev.brightAfter[i] - levels.shadow) / brightnessRange;
      out[p + 10] = ev.gradBefore[i] / units.structure;
      out[p + 11] = ea;
      out[p + 12] = saturation(before, i, bands, displayBands);
      out[p + 13] = saturation(after, i, bands, displayBands);
      absSpectral[i] = sp;
      absBright[i] = Math.abs(db);
      absStruct[i] = Math.abs(ds);
      edgesAfter[i] = ea;
      vegAfter[i] = ev.vegAfter[i];
    }
    const sources = [absSpectral, absBright, absStruct, edgesAfter, vegAfter];
    const radii = [CONTEXT_RADII_PX.near, CONTEXT_RADII_PX.wide];
    radii.forEach((radius, r) => {
      sources.forEach((src, k) => {
        boxMean(
          src.subarray(0, n),
          width,
          height,
          radius,
          this.smooth.subarray(0, n),
          this.scratch.subarray(0, n),
        );
        const f = 15 + r * sources.length + k;
        for (let i = 0; i < n; i++) out[i * F + f] = this.smooth[i];
      });
    });
    return out.subarray(0, n * F);
  }
}

/** (max - min) / (max + min) over the display bands of one pixel: 0 for grey, towards 1 for vivid colour. */
function saturation(
  img: Float32Array,
  pixel: number,
  bands: number,
  displayBands: readonly number[],
): number {
  let max = -Infinity;
  let min = Infinity;
  for (const b of displayBands) {
    const v = img[pixel * bands + b];
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const sum = max + min;
  return sum > 0 ? (max - min) / sum : 0;
}
