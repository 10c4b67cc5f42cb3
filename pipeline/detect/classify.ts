/**
 * Region classification: judges a changed region by its size in square metres, its shape
 * and its context (water in the before image) and names the kind of construction, with a
 * confidence that combines how far the evidence clears the threshold and how well the
 * region fits its class.
 */
import type { DetectionClass, DetectionEvidence, DetectionShape } from "./detection.js";

export interface RegionFeatures {
  areaM2: number;
  shape: DetectionShape;
  /** Region means in noise units; waterBefore is the fraction of the region that was water. */
  evidence: DetectionEvidence;
  /** The pair's global score threshold (noise units). */
  threshold: number;
}

export interface Classification {
  class: DetectionClass;
  confidence: number;
  reason: string;
}

/** Changes that are real but are not construction; such regions are counted, not reported. */
export const REJECTION_REASONS = [
  "shadow",
  "water_level",
  "water_colour",
  "vegetation",
  "agriculture",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  rejected: RejectionReason;
  reason: string;
}

/** Size and shape limits of each class, in metres. */
export const CLASS_RULES = {
  /** Regions at least half over water in the before image are piers, cofferdams or land-fill. */
  waterFraction: 0.5,
  /** Over water, anything larger than this is land-fill rather than a foundation. */
  landfillMinAreaM2: 1500,
  /** Apartment blocks: slab-shaped buildings within this footprint range. */
  blockMinAreaM2: 150,
  blockMaxAreaM2: 8000,
  blockMinElongation: 1.8,
  /** A filled rectangle scores 1; buildings stay above this. */
  buildingMinRectangularity: 0.6,
  /** Demolition removes edges: the region's mean structure change must fall below this (noise units). */
  demolitionMaxStructure: -2,
  /** Long thin regions (roads, embankments) are linear earthworks. */
  linearMinElongation: 6,
  /** Large irregular regions where vegetation was lost are earthworks. */
  earthworksMinAreaM2: 1000,
  /** Mean structure change (noise units) above which a region has the new edges of a structure. */
  newEdgesMinStructure: 2,
  /** Regions that darkened by more than this (noise units) without new edges are shadow or moisture. */
  darkeningMaxBrightness: -3,
  /** Regions mostly made of shadow that appeared, moved or went are sun-angle changes. */
  shadowFraction: 0.6,
  /** Over water, a structure replaces water: at least this fraction of the region must stop being water. */
  waterLostMinFraction: 0.15,
  /** Long strips with water on one of the dates follow the shoreline: the water level changed. */
  shorelineWaterFraction: 0.15,
  shorelineMinElongation: 4,
  /** Regions whose mean vegetation loss is below this (noise units; negative = greening) grew. */
  greeningMaxVegetationLoss: -2,
  /** Regular parcels whose vegetation changed without new edges are fields (harvest, ploughing). */
  fieldMinRectangularity: 0.85,
  fieldMaxStructure: 1,
};

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** How far the region's mean score clears the threshold: 0 at the threshold, towards 1 at 3x. */
function evidenceStrength(evidence: DetectionEvidence, threshold: number): number {
  return clamp01(1 - Math.exp(-1.5 * Math.max(0, evidence.score / threshold - 1)));
}

/** Why a region is a change but not construction, or null when it may be construction. */
export function rejectRegion(f: RegionFeatures): Rejection | null {
  const { shape, evidence } = f;
  const r = CLASS_RULES;
  // Water that stayed water (the region's water fraction barely fell) changed colour, not use.
  if (
    evidence.waterBefore >= r.waterFraction &&
    evidence.waterBefore - evidence.waterAfter < r.waterLostMinFraction
  ) {
    return { rejected: "water_colour", reason: "water on both dates: turbidity or glint" };
  }
  if (evidence.waterAfter - evidence.waterBefore >= r.shorelineWaterFraction) {
    return {
      rejected: "water_level",
      reason: "land that water covered on the later date: the water level rose",
    };
  }
  const wet = Math.max(evidence.waterBefore, evidence.waterAfter);
  if (wet >= r.shorelineWaterFraction && shape.elongation >= r.shorelineMinElongation) {
    return { rejected: "water_level", reason: "long strip along the water's edge: the water level changed" };
  }
  // Shadows and wet or burnt ground darken without adding edges; a new building, even a
  // dark-roofed one, brings new edges with it.
  if (wet < r.waterFraction && evidence.structure < r.newEdgesMinStructure) {
    if (evidence.shadow >= r.shadowFraction) {
      return { rejected: "shadow", reason: "mostly shadow that appeared, moved or went: sun angle" };
    }
    if (evidence.brightness <= r.darkeningMaxBrightness) {
      return { rejected: "shadow", reason: "darkened without new edges: shadow or moisture" };
    }
  }
  // On land, a region that mostly greened is growth or season. (Over water greening is
  // expected: concrete and fill have a higher vegetation index than water.)
  if (evidence.vegetationLoss <= r.greeningMaxVegetationLoss && evidence.waterBefore < r.waterFraction) {
    return { rejected: "vegetation", reason: "vegetation grew or changed with the season" };
  }
  if (
    evidence.vegetationLoss !== 0 &&
    Math.abs(evidence.structure) < r.fieldMaxStructure &&
    shape.rectangularity >= r.fieldMinRectangularity &&
    f.areaM2 >= r.earthworksMinAreaM2
  ) {
    return {
      rejected: "agriculture",
      reason: "regular parcel with vegetation change and no new edges: a field",
    };
  }
  return null;
}

export function classifyRegion(f: RegionFeatures): Classification {
  const { areaM2, shape, evidence } = f;
  const strength = evidenceStrength(evidence, f.threshold);
  const make = (cls: DetectionClass, fit: number, reason: string): Classification => ({
    class: cls,
    confidence: Math.round(clamp01(0.25 + 0.45 * strength + 0.3 * clamp01(fit)) * 1000) / 1000,
    reason,
  });
  const r = CLASS_RULES;
  const buildingLike =
    shape.rectangularity >= r.buildingMinRectangularity &&
    (evidence.structure > 0.5 || evidence.brightness > 1);

  if (evidence.waterBefore >= r.waterFraction) {
    if (areaM2 >= r.landfillMinAreaM2) {
      return make("earthworks", evidence.waterBefore, "large change over water: land-fill");
    }
    return make(
      "bridge_foundation",
      evidence.waterBefore,
      "compact new structure over water: pier or cofferdam",
    );
  }
  if (
    evidence.structure < r.demolitionMaxStructure &&
    evidence.brightness <= 0.5 &&
    evidence.vegetationLoss > -1
  ) {
    return make(
      "demolition",
      clamp01(-evidence.structure / 3),
      "edges and brightness lost: structure removed",
    );
  }
  if (shape.elongation >= r.linearMinElongation) {
    return make(
      "earthworks",
      clamp01(shape.elongation / (2 * r.linearMinElongation)),
      "long narrow strip: road or embankment",
    );
  }
  if (buildingLike) {
    if (
      shape.elongation >= r.blockMinElongation &&
      areaM2 >= r.blockMinAreaM2 &&
      areaM2 <= r.blockMaxAreaM2
    ) {
      return make(
        "apartment_block",
        shape.rectangularity,
        "rectangular slab with new edges or roof: apartment block",
      );
    }
    if (areaM2 >= r.blockMinAreaM2) {
      return make("other", shape.rectangularity * 0.8, "compact new building (not slab-shaped)");
    }
  }
  if (areaM2 >= r.earthworksMinAreaM2 && evidence.vegetationLoss > 0) {
    return make(
      "earthworks",
      clamp01(evidence.vegetationLoss),
      "large irregular area with vegetation lost: earthworks",
    );
  }
  return make("other", 0.3, "changed, no class fits clearly");
}
