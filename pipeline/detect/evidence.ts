/**
 * Per-pixel evidence of new construction for one window of an aligned, normalised pair:
 * spectral change, brightness change, structure (edge) change, vegetation and water cues,
 * and the construction score that combines them. Units are decided once per pair.
 */
import { changeVectorMagnitude } from "../core/change-vector.js";
import { boxMean } from "../core/filters.js";
import { sobelMagnitude } from "../core/gradient.js";
import { brightness, excessGreen, normalisedDifference } from "../core/indices.js";
import type { BandRoles } from "./bands.js";

/** Typical magnitude of each evidence on unchanged ground; scores are expressed in these units. */
export interface EvidenceUnits {
  spectral: number;
  brightness: number;
  structure: number;
  vegetation: number;
}

export interface ScoreWeights {
  spectral: number;
  brightness: number;
  structure: number;
  vegetation: number;
}

/** Scene brightness levels fixed once per pair (see PairStats). */
export interface BrightnessLevels {
  /** Below this a pixel counts as shadow. */
  shadow: number;
  /** RGB water must be darker than this. */
  dark: number;
}

/** Names of the per-region evidence sums, in the order regions accumulate them. */
export const EVIDENCE_CHANNELS = [
  "score",
  "spectral",
  "brightness",
  "structure",
  "vegetationLoss",
  "waterBefore",
  "waterAfter",
  "shadow",
] as const;
export type EvidenceChannel = (typeof EVIDENCE_CHANNELS)[number];

/** Vegetation-index level above which a pixel counts as vegetated (NDVI or excess green). */
const VEGETATED = { ndvi: 0.3, excessGreen: 0.06 };
/**
 * Water-index level above which a pixel counts as water: NDWI with a NIR band; for RGB the
 * blue-red index, which blue roofs also pass, so RGB water must also be darker than the
 * scene's `darkLevel`.
 */
const WATER = { ndwi: 0.05, blueRed: 0.08 };

/**
 * Buffers for one window, allocated once and reused for every window of at most
 * `capacity` pixels. All arrays are single-band, row-major, the window's size.
 */
export class EvidenceWorkspace {
  readonly capacity: number;
  readonly spectral: Float32Array;
  readonly brightBefore: Float32Array;
  readonly brightAfter: Float32Array;
  readonly brightness: Float32Array;
  readonly gradBefore: Float32Array;
  readonly gradAfter: Float32Array;
  readonly structure: Float32Array;
  readonly vegBefore: Float32Array;
  readonly vegAfter: Float32Array;
  readonly vegetationLoss: Float32Array;
  /** |vegetation index change| where the after pixel is vegetated, else 0. */
  readonly vegetatedChange: Float32Array;
  readonly waterBefore: Float32Array;
  readonly waterAfter: Float32Array;
  readonly shadow: Float32Array;
  readonly rawScore: Float32Array;
  readonly score: Float32Array;
  readonly scratch: Float32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    const make = () => new Float32Array(capacity);
    this.spectral = make();
    this.brightBefore = make();
    this.brightAfter = make();
    this.brightness = make();
    this.gradBefore = make();
    this.gradAfter = make();
    this.structure = make();
    this.vegBefore = make();
    this.vegAfter = make();
    this.vegetationLoss = make();
    this.vegetatedChange = make();
    this.waterBefore = make();
    this.waterAfter = make();
    this.shadow = make();
    this.rawScore = make();
    this.score = make();
    this.scratch = make();
  }

  /** Views of the first `n` pixels of each channel, in EVIDENCE_CHANNELS order. */
  channels(n: number): Float32Array[] {
    return [
      this.score.subarray(0, n),
      this.spectral.subarray(0, n),
      this.brightness.subarray(0, n),
      this.structure.subarray(0, n),
      this.vegetationLoss.subarray(0, n),
      this.waterBefore.subarray(0, n),
      this.waterAfter.subarray(0, n),
      this.shadow.subarray(0, n),
    ];
  }
}

/**
 * Raw evidence for a window. `before` and `after` are float32, pixel-interleaved, row-major,
 * length width*height*bands, `after` already aligned and radiometrically normalised; NaN
 * marks missing pixels and yields NaN evidence. `bandWeight` scales each band's difference
 * (1/noise sigma) in the change vector. Fills ws.spectral, ws.brightness (after - before),
 * ws.structure (Sobel magnitude after - before), ws.vegetationLoss (index before - after),
 * ws.vegBefore/vegAfter, ws.waterBefore/waterAfter (1 = water on that date, else 0) and
 * ws.shadow (1 where exactly one date is darker than `shadowLevel`: a shadow that appeared,
 * moved or went, else 0).
 */
export function computeRawEvidence(
  before: Float32Array,
  after: Float32Array,
  width: number,
  height: number,
  bands: number,
  roles: BandRoles,
  bandWeight: Float32Array,
  levels: BrightnessLevels,
  ws: EvidenceWorkspace,
): void {
  const n = width * height;
  if (n > ws.capacity) throw new RangeError(`Expected at most ${ws.capacity} pixels but received ${n}`);
  const sub = (a: Float32Array) => a.subarray(0, n);
  changeVectorMagnitude(before, after, n, bands, sub(ws.spectral), bandWeight);
  brightness(before, n, bands, sub(ws.brightBefore));
  brightness(after, n, bands, sub(ws.brightAfter));
  sobelMagnitude(sub(ws.brightBefore), width, height, sub(ws.gradBefore));
  sobelMagnitude(sub(ws.brightAfter), width, height, sub(ws.gradAfter));

  const { red, green, blue, nir } = roles;
  let vegetated = Infinity;
  if (red !== undefined && nir !== undefined) {
    normalisedDifference(before, n, bands, nir, red, sub(ws.vegBefore));
    normalisedDifference(after, n, bands, nir, red, sub(ws.vegAfter));
    vegetated = VEGETATED.ndvi;
  } else if (red !== undefined && green !== undefined && blue !== undefined) {
    excessGreen(before, n, bands, red, green, blue, sub(ws.vegBefore));
    excessGreen(after, n, bands, red, green, blue, sub(ws.vegAfter));
    vegetated = VEGETATED.excessGreen;
  } else {
    ws.vegBefore.fill(0, 0, n);
    ws.vegAfter.fill(0, 0, n);
  }

  let waterLevel = Infinity;
  let waterDark = Infinity;
  if (green !== undefined && nir !== undefined) {
    normalisedDifference(before, n, bands, green, nir, sub(ws.waterBefore));
    normalisedDifference(after, n, bands, green, nir, sub(ws.waterAfter));
    waterLevel = WATER.ndwi;
  } else if (blue !== undefined && red !== undefined) {
    normalisedDifference(before, n, bands, blue, red, sub(ws.waterBefore));
    normalisedDifference(after, n, bands, blue, red, sub(ws.waterAfter));
    waterLevel = WATER.blueRed;
    waterDark = levels.dark;
  }
  const shadowLevel = levels.shadow;

  const {
    brightBefore,
    brightAfter,
    gradBefore,
    gradAfter,
    vegBefore,
    vegAfter,
    waterBefore,
    waterAfter,
    shadow,
  } = ws;
  const { brightness: dBright, structure, vegetationLoss, vegetatedChange } = ws;
  for (let i = 0; i < n; i++) {
    dBright[i] = brightAfter[i] - brightBefore[i];
    structure[i] = gradAfter[i] - gradBefore[i];
    const vb = vegBefore[i];
    const va = vegAfter[i];
    // Whatever a pixel was, if it is vegetation on the later date it is not new construction:
    // its vegetation change (season, growth) is charged against the score. Among pixels
    // vegetated on both dates the change is seasonal, so only a loss of cover counts as loss.
    vegetatedChange[i] = va >= vegetated ? Math.abs(va - vb) : va === va ? 0 : NaN;
    vegetationLoss[i] = vb >= vegetated && va >= vegetated ? 0 : vb - va;
    waterBefore[i] = waterBefore[i] > waterLevel && brightBefore[i] < waterDark ? 1 : 0;
    waterAfter[i] = waterAfter[i] > waterLevel && brightAfter[i] < waterDark ? 1 : 0;
    shadow[i] = brightBefore[i] < shadowLevel !== brightAfter[i] < shadowLevel ? 1 : 0;
  }
  if (waterLevel === Infinity) {
    ws.waterBefore.fill(0, 0, n);
    ws.waterAfter.fill(0, 0, n);
  }
}

/**
 * The construction score: weighted mean of |evidence| in noise units, minus a penalty for
 * the vegetation change of pixels that are vegetation on the later date, zero where water
 * covers land that was dry, smoothed by a box mean of
 * `smoothingRadiusPx`. Writes ws.rawScore and ws.score; NaN where any evidence is NaN.
 */
export function combineScore(
  width: number,
  height: number,
  units: EvidenceUnits,
  weights: ScoreWeights,
  smoothingRadiusPx: number,
  ws: EvidenceWorkspace,
): void {
  const n = width * height;
  const wSum = weights.spectral + weights.brightness + weights.structure;
  const ks = weights.spectral / (wSum * units.spectral);
  const kb = weights.brightness / (wSum * units.brightness);
  const kt = weights.structure / (wSum * units.structure);
  const kv = weights.vegetation / units.vegetation;
  const {
    spectral,
    brightness: dBright,
    structure,
    vegetatedChange: vegetated,
    waterBefore,
    waterAfter,
    rawScore,
  } = ws;
  for (let i = 0; i < n; i++) {
    let s = ks * spectral[i] + kb * Math.abs(dBright[i]) + kt * Math.abs(structure[i]);
    s -= kv * vegetated[i];
    // Land the water covered on the later date is a water-level change, never construction;
    // zeroing it here keeps a flooded shoreline from joining fill or piers into one region.
    if (waterAfter[i] > waterBefore[i]) s = 0;
    rawScore[i] = s > 0 ? s : s === s ? 0 : NaN;
  }
  smoothScore(width, height, smoothingRadiusPx, ws);
}

/** ws.score = box mean of ws.rawScore over `radiusPx` (a copy when 0), NaN-aware. */
export function smoothScore(width: number, height: number, radiusPx: number, ws: EvidenceWorkspace): void {
  const n = width * height;
  if (radiusPx > 0) {
    boxMean(
      ws.rawScore.subarray(0, n),
      width,
      height,
      radiusPx,
      ws.score.subarray(0, n),
      ws.scratch.subarray(0, n),
    );
  } else {
    ws.score.set(ws.rawScore.subarray(0, n));
  }
}
