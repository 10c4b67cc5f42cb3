/**
 * GeoJSON export: one Feature per detection, Polygon outlines in WGS84 lon/lat (RFC 7946).
 * Pairs without geo-reference keep pixel coordinates and say so in a foreign member.
 */
import type { Detection } from "../detect/detection.js";

export interface GeoJsonOptions {
  /** False when coordinates are pixels (x right, y down) rather than lon/lat. */
  geographic: boolean;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Flat, spreadsheet-friendly properties shared by the GeoJSON and CSV exports, in column order. */
const PROPERTIES: [string, (d: Detection) => string | number][] = [
  ["id", (d) => d.id],
  ["class", (d) => d.class],
  ["confidence", (d) => d.confidence],
  ["area_m2", (d) => round(d.areaM2, 1)],
  ["area_px", (d) => d.areaPx],
  ["length_m", (d) => round(d.shape.lengthM, 1)],
  ["width_m", (d) => round(d.shape.widthM, 1)],
  ["elongation", (d) => round(d.shape.elongation, 2)],
  ["rectangularity", (d) => round(d.shape.rectangularity, 3)],
  ["orientation_deg", (d) => round(d.shape.orientationDeg, 1)],
  ["evidence_score", (d) => round(d.evidence.score, 3)],
  ["evidence_spectral", (d) => round(d.evidence.spectral, 3)],
  ["evidence_brightness", (d) => round(d.evidence.brightness, 3)],
  ["evidence_structure", (d) => round(d.evidence.structure, 3)],
  ["evidence_vegetation_loss", (d) => round(d.evidence.vegetationLoss, 3)],
  ["evidence_water_before", (d) => round(d.evidence.waterBefore, 3)],
  ["evidence_water_after", (d) => round(d.evidence.waterAfter, 3)],
  ["evidence_shadow", (d) => round(d.evidence.shadow, 3)],
  ["reason", (d) => d.reason],
];

export const PROPERTY_NAMES: readonly string[] = PROPERTIES.map(([name]) => name);

export function detectionProperties(d: Detection): Record<string, string | number> {
  return Object.fromEntries(PROPERTIES.map(([name, get]) => [name, get(d)]));
}

export function toFeatureCollection(detections: readonly Detection[], options: GeoJsonOptions): object {
  const digits = options.geographic ? 7 : 2;
  const point = ([x, y]: [number, number]): [number, number] => [round(x, digits), round(y, digits)];
  return {
    type: "FeatureCollection",
    ...(options.geographic ? {} : { "changewatch:coordinates": "pixel" }),
    features: detections.map((d) => ({
      type: "Feature",
      id: d.id,
      geometry: { type: "Polygon", coordinates: [d.polygon.map(point)] },
      properties: {
        ...detectionProperties(d),
        centroid: point(d.centroid),
        bbox_px: d.bboxPx,
      },
    })),
  };
}
