/** Reads a finished run's detections back from its detections.geojson, as tracking needs them. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DetectionClass } from "../detect/detection.js";
import { OUTPUT_FILES } from "../run/assemble.js";
import type { TrackedDetection } from "./tracks.js";

interface DetectionFeature {
  id: string;
  geometry: { coordinates: [number, number][][] };
  properties: { class: DetectionClass; confidence: number; area_m2: number; centroid: [number, number] };
}

export async function readRunDetections(outDir: string): Promise<TrackedDetection[]> {
  const json = JSON.parse(await readFile(join(outDir, OUTPUT_FILES.geojson), "utf8")) as {
    features: DetectionFeature[];
  };
  return json.features.map((f) => ({
    detectionId: f.id,
    class: f.properties.class,
    confidence: f.properties.confidence,
    areaM2: f.properties.area_m2,
    centroid: f.properties.centroid,
    polygon: f.geometry.coordinates[0],
  }));
}
