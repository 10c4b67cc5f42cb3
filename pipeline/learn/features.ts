/**
 * Per-pixel features for the learned re-scorer. Two kinds of cue: what each date looks like
 * (brightness, colour saturation, vegetation, blue-red balance, texture, edges — a new roof
 * is grey, smooth and edged whatever it replaced) and how much it changed (change vector,
 * brightness, saturation, vegetation and texture change), plus the hand-weighted evidence
 * score, and the main cues averaged over a near and a wide neighbourhood (a roof's extent,
 * the lawn around a house).
 *
 * Raw values differ between scenes (season, sensor, how much of the scene changed), so a
 * model trained on one place would not carry to another. Every feature is therefore mapped
 * to its rank within the pair (see feature-ranks.ts) before the model sees it.
 */
import { boxMean } from "../core/filters.js";
import type { EvidenceWorkspace } from "../detect/evidence.js";

/** Neighbourhood radii (pixels) of the "near" and "wide" context features. */
export const CONTEXT_RADII_PX = { near: 2, wide: 6 };
/** Radius (pixels) of the local standard deviation that measures texture. */
export const TEXTURE_RADIUS_PX = 2;
/** How far (pixels) a feature reaches from its pixel: tiles need this much extra halo. */
export const FEATURE_REACH_PX = CONTEXT_RADII_PX.wide + TEXTURE_RADIUS_PX + 1;

const PER_DATE = ["brightness", "saturation", "vegetation", "blue_red", "texture", "edges"] as const;
const CONTEXT = [
  "spectral",
  "saturation_after",
  "saturation_before",
  "vegetation_after",
  "vegetation_before",
  "brightness_after",
  "brightness_before",
  "brightness_change",
  "texture_after",
  "edges_after",
] as const;

export const FEATURE_NAMES: readonly string[] = [
  "evidence_score",
  ...PER_DATE.map((f) => `${f}_before`),
  ...PER_DATE.map((f) => `${f}_after`),
  "spectral",
  "brightness_change",
  "saturation_change",
  "vegetation_change",
  "texture_change",
  ...CONTEXT.map((f) => `near_${f}`),
  ...CONTEXT.map((f) => `wide_${f}`),
];

export const FEATURE_COUNT = FEATURE_NAMES.length;

const BASE_COUNT = 1 + 2 * PER_DATE.length + 5;

/**
 * Reusable buffers for FeatureWorkspace.compute; `capacity` is the largest window in pixels.
 */
export class FeatureWorkspace {
  readonly capacity: number;
  readonly features: Float32Array;
  /** One plane per base feature (features before the context ones), in FEATURE_NAMES order. */
  private readonly planes: Float32Array[];
  private readonly smooth: Float32Array;
  private readonly square: Float32Array;
  private readonly scratch: Float32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.features = new Float32Array(capacity * FEATURE_COUNT);
    this.planes = Array.from({ length: BASE_COUNT }, () => new Float32Array(capacity));
    this.smooth = new Float32Array(capacity);
    this.square = new Float32Array(capacity);
    this.scratch = new Float32Array(capacity);
  }

  /**
   * Fills `features` (pixel-interleaved, row-major, length width*height*FEATURE_COUNT, raw
   * values: rank them with FeatureRanks) from an evidence workspace on which
   * computeRawEvidence and combineScore ran for the same window. `before` and `after` are the
   * window's images (pixel-interleaved, `bands` bands); `displayBands` are the red, green and
   * blue bands (or one grey band) colour is measured on. NaN evidence gives NaN features.
   */
  compute(
    ev: EvidenceWorkspace,
    before: Float32Array,
    after: Float32Array,
    bands: number,
    displayBands: readonly number[],
    width: number,
    height: number,
  ): Float32Array {
    const n = width * height;
    if (n > this.capacity) throw new RangeError(`Expected at most ${this.capacity} pixels but received ${n}`);
    const sub = (a: Float32Array) => a.subarray(0, n);
    const plane = (name: string) => this.planes[FEATURE_NAMES.indexOf(name)];
    plane("evidence_score").set(sub(ev.score));
    for (const [tag, img, bright, veg, grad] of [
      ["before", before, ev.brightBefore, ev.vegBefore, ev.gradBefore],
      ["after", after, ev.brightAfter, ev.vegAfter, ev.gradAfter],
    ] as const) {
      plane(`brightness_${tag}`).set(sub(bright));
      plane(`vegetation_${tag}`).set(sub(veg));
      plane(`edges_${tag}`).set(sub(grad));
      colour(img, n, bands, displayBands, plane(`saturation_${tag}`), plane(`blue_red_${tag}`));
      this.localStd(bright, width, height, plane(`texture_${tag}`));
    }
    plane("spectral").set(sub(ev.spectral));
    plane("brightness_change").set(sub(ev.brightness));
    for (const f of ["saturation", "vegetation", "texture"]) {
      const b = plane(`${f}_before`);
      const a = plane(`${f}_after`);
      const change = plane(`${f}_change`);
      for (let i = 0; i < n; i++) change[i] = a[i] - b[i];
    }

    const F = FEATURE_COUNT;
    const out = this.features;
    for (let f = 0; f < BASE_COUNT; f++) {
      const p = this.planes[f];
      for (let i = 0, o = f; i < n; i++, o += F) out[o] = p[i];
    }
    let f = BASE_COUNT;
    for (const radius of [CONTEXT_RADII_PX.near, CONTEXT_RADII_PX.wide]) {
      for (const name of CONTEXT) {
        boxMean(sub(plane(name)), width, height, radius, sub(this.smooth), sub(this.scratch));
        const s = this.smooth;
        for (let i = 0, o = f; i < n; i++, o += F) out[o] = s[i];
        f++;
      }
    }
    return out.subarray(0, n * F);
  }

  /** out = standard deviation of `values` over a (2r+1)² box, r = TEXTURE_RADIUS_PX. */
  private localStd(values: Float32Array, width: number, height: number, out: Float32Array): void {
    const n = width * height;
    const sq = this.square;
    for (let i = 0; i < n; i++) sq[i] = values[i] * values[i];
    const r = TEXTURE_RADIUS_PX;
    boxMean(sq.subarray(0, n), width, height, r, sq.subarray(0, n), this.scratch.subarray(0, n));
    boxMean(values.subarray(0, n), width, height, r, this.smooth.subarray(0, n), this.scratch.subarray(0, n));
    for (let i = 0; i < n; i++) {
      const m = this.smooth[i];
      const v = sq[i] - m * m;
      out[i] = v > 0 ? Math.sqrt(v) : v === v ? 0 : NaN;
    }
  }
}

/**
 * Per pixel: saturation (max - min) / (max + min) over the display bands (0 for grey) and
 * the blue-red balance (blue - red) / (blue + red) when there are red, green and blue bands
 * (0 otherwise).
 */
function colour(
  img: Float32Array,
  n: number,
  bands: number,
  displayBands: readonly number[],
  saturation: Float32Array,
  blueRed: Float32Array,
): void {
  const rgb = displayBands.length === 3;
  const red = displayBands[0];
  const blue = displayBands[displayBands.length - 1];
  for (let i = 0, k = 0; i < n; i++, k += bands) {
    let max = -Infinity;
    let min = Infinity;
    for (const b of displayBands) {
      const v = img[k + b];
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const sum = max + min;
    saturation[i] = sum > 0 ? (max - min) / sum : sum === sum ? 0 : NaN;
    const r = img[k + red];
    const bl = img[k + blue];
    blueRed[i] = rgb && r + bl > 0 ? (bl - r) / (bl + r) : r === r ? 0 : NaN;
  }
}
