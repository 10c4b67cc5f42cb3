/**
 * The detection record: one changed structure as every exporter, report and queue
 * consumer sees it. Pixel coordinates are on the BEFORE image's grid.
 */

export const DETECTION_CLASSES = [
  "apartment_block",
  "bridge_foundation",
  "earthworks",
  "demolition",
  "other",
] as const;
export type DetectionClass = (typeof DETECTION_CLASSES)[number];

/** Per-detection evidence, as region means in the pair's noise units (water, shadow: fractions 0-1). */
export interface DetectionEvidence {
  score: number;
  spectral: number;
  brightness: number;
  structure: number;
  vegetationLoss: number;
  waterBefore: number;
  waterAfter: number;
  /** Fraction of the region where a shadow appeared, moved or went. */
  shadow: number;
}

export interface DetectionShape {
  lengthM: number;
  widthM: number;
  elongation: number;
  rectangularity: number;
  orientationDeg: number;
}

export interface Detection {
  id: string;
  class: DetectionClass;
  confidence: number;
  areaM2: number;
  areaPx: number;
  /** [lon, lat] in WGS84, or [x, y] in pixels when the pair has no geo-reference. */
  centroid: [number, number];
  centroidPx: [number, number];
  /** [minX, minY, maxX, maxY], exclusive max, before-image pixels. */
  bboxPx: [number, number, number, number];
  /** Closed outline ring: WGS84 [lon, lat] pairs, or pixels without geo-reference. */
  polygon: [number, number][];
  polygonPx: [number, number][];
  shape: DetectionShape;
  evidence: DetectionEvidence;
  /** Why the classifier chose the class, for the analyst. */
  reason: string;
}
