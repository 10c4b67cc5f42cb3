/**
 * Object-level scoring of a run against a truth GeoJSON of new structures (the samples'
 * truth.geojson): a truth structure is found when a detection's outline overlaps it, a
 * detection is correct when it overlaps any truth structure, and a found structure is
 * classified right when an overlapping detection has its class.
 */
import { readFile } from "node:fs/promises";
import { lonLatToPixel } from "../align/crs.js";
import { forEachPixelInPolygon } from "../core/polygon-fill.js";
import type { Detection, DetectionClass } from "../detect/detection.js";
import { InputError } from "../errors.js";
import type { RasterInfo } from "../raster/types.js";

export interface TruthStructure {
  id: string;
  class: DetectionClass;
  name: string;
  /** Outline in before-image pixel coordinates. */
  ringPx: [number, number][];
}

export interface TruthMatch {
  truth: number;
  found: number;
  detections: number;
  detectionsOnTruth: number;
  classRight: number;
  /** found / truth, detectionsOnTruth / detections, classRight / found (1 when the denominator is 0). */
  recall: number;
  precision: number;
  classAccuracy: number;
  structures: { id: string; class: DetectionClass; found: boolean; detectedAs: DetectionClass[] }[];
}

interface TruthFile {
  features: {
    properties: { id: string; class: DetectionClass; name?: string };
    geometry: { coordinates: number[][][] };
  }[];
}

/** Reads a truth GeoJSON (WGS84 polygons) onto the pixel grid of `before`. */
export async function loadTruth(path: string, before: RasterInfo): Promise<TruthStructure[]> {
  const toPixel = lonLatToPixel(before);
  if (toPixel === null) {
    throw new InputError(
      "E_INPUT_FORMAT",
      before.path,
      "has no geo-reference, so a GeoJSON truth cannot be placed on it",
    );
  }
  const json = JSON.parse(await readFile(path, "utf8")) as TruthFile;
  return json.features.map((f) => ({
    id: f.properties.id,
    class: f.properties.class,
    name: f.properties.name ?? f.properties.id,
    ringPx: f.geometry.coordinates[0].map(([lon, lat]) => toPixel(lon, lat)),
  }));
}

export function matchTruth(
  detections: readonly Detection[],
  truth: readonly TruthStructure[],
  width: number,
  height: number,
): TruthMatch {
  // Paint truth ids (index + 1) on the grid, then look under each detection's outline.
  const owner = new Int32Array(width * height);
  truth.forEach((s, i) =>
    forEachPixelInPolygon(s.ringPx, width, height, (x, y) => (owner[y * width + x] = i + 1)),
  );
  const hitsOf = detections.map((d) => {
    const hits = new Set<number>();
    forEachPixelInPolygon(d.polygonPx, width, height, (x, y) => {
      const o = owner[y * width + x];
      if (o !== 0) hits.add(o - 1);
    });
    return hits;
  });
  const structures = truth.map((s, i) => {
    const detectedAs = detections.filter((_, k) => hitsOf[k].has(i)).map((d) => d.class);
    return { id: s.id, class: s.class, found: detectedAs.length > 0, detectedAs };
  });
  const found = structures.filter((s) => s.found).length;
  const classRight = structures.filter((s) => s.detectedAs.includes(s.class)).length;
  const detectionsOnTruth = hitsOf.filter((h) => h.size > 0).length;
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    truth: truth.length,
    found,
    detections: detections.length,
    detectionsOnTruth,
    classRight,
    recall: ratio(found, truth.length),
    precision: ratio(detectionsOnTruth, detections.length),
    classAccuracy: ratio(classRight, found),
    structures,
  };
}
