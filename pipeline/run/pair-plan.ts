/**
 * The pair plan: everything decided once per before/after pair, before any tile runs —
 * the common grid, the residual shift, the detection profile, the pair-wide statistics
 * (normalisation, noise units, threshold, display stretch) and the tile plan. It is plain
 * JSON so a queue can hand it to tile jobs on other machines.
 */
import type { DetectionProfile } from "../../config/schema.js";
import type { PairGeometry } from "../align/grid.js";
import type { BandRoles } from "../detect/bands.js";
import type { BrightnessLevels, EvidenceUnits } from "../detect/evidence.js";
import type { RasterInfo } from "../raster/types.js";
import type { TilePlan } from "../tiling/tile-plan.js";

/** The residual shift applied to the after image (after pixels), and how it was judged. */
export interface AppliedShift {
  dx: number;
  dy: number;
  /** Share of the co-registration patches that agreed on the estimate (0-1). */
  confidence: number;
  patchesUsed: number;
  /** False when too few patches agreed and no shift was applied. */
  applied: boolean;
}

export interface PairStats {
  /** Per band: after' = gain * after + offset. */
  gain: number[];
  offset: number[];
  /** Per band 1/noise sigma of the normalised difference, used in the change vector. */
  bandWeight: number[];
  units: EvidenceUnits;
  /** Brightness levels of the before image: shadow below its 10th percentile, dark (RGB water) below its 40th. */
  levels: BrightnessLevels;
  /** Otsu's threshold on the sampled score, before clamping to the profile's floor and ceiling. */
  otsuThreshold: number;
  /** The threshold of the weighted-evidence score (Otsu clamped to the profile's range). */
  evidenceThreshold: number;
  /** The global score threshold every tile applies: evidenceThreshold, or the model's probability threshold. */
  threshold: number;
  /** Per display band, the after image's 2nd and 98th percentiles for 8-bit previews. */
  stretchLow: number[];
  stretchHigh: number[];
  /** The bands shown in previews (red, green, blue or a single grey band). */
  displayBands: number[];
  sampledPx: number;
  /** Per learned feature, its quantiles in this pair (see feature-ranks.ts); null when no model scores the pair. */
  featureRanks: number[][] | null;
}

export type GsdSource = "georeference" | "option" | "assumed";

export interface PairPlan {
  version: 1;
  before: RasterInfo;
  after: RasterInfo;
  geometry: PairGeometry;
  shift: AppliedShift;
  /** The shift phase correlation measured, whether or not it was applied. */
  shiftEstimate: { dx: number; dy: number };
  bands: number;
  roles: BandRoles;
  gsdM: number;
  gsdSource: GsdSource;
  profile: DetectionProfile;
  stats: PairStats;
  tiles: TilePlan;
  /** The learned re-scorer, when one scores this pair (its threshold is stats.threshold). */
  model: { path: string; createdAt: string } | null;
  /** Quicklook pixels are sampled every `quicklookStepPx` before-image pixels. */
  quicklookStepPx: number;
}
