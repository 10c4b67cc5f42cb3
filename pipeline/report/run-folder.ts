/**
 * A finished run as the reports see it: its run.json and its detections read back from
 * detections.geojson, with each outline carried back onto the before image's pixel grid
 * (the chips and the overview are drawn in pixels).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { lonLatToPixel } from "../align/crs.js";
import { DETECTION_CLASSES, type DetectionClass, type DetectionEvidence } from "../detect/detection.js";
import { ChangewatchError } from "../errors.js";
import type { RunRecord } from "../run/assemble.js";
import { OUTPUT_FILES } from "../run/output-files.js";

/** What a report shows of one detection. */
export interface ReportDetection {
  id: string;
  class: DetectionClass;
  confidence: number;
  areaM2: number;
  lengthM: number;
  widthM: number;
  /** [lon, lat] WGS84, or pixels when the run has no geo-reference. */
  centroid: [number, number];
  /** [minX, minY, maxX, maxY], exclusive max, before pixels. */
  bboxPx: [number, number, number, number];
  /** Closed outline ring in before pixels. */
  polygonPx: [number, number][];
  evidence: DetectionEvidence;
  reason: string;
}

export interface RunFolder {
  dir: string;
  record: RunRecord;
  /** True when detection coordinates are WGS84 lon/lat. */
  geographic: boolean;
  /** Most confident first (the order the exports are written in). */
  detections: ReportDetection[];
}

const point = z.tuple([z.number(), z.number()]);

const featureSchema = z.object({
  id: z.string(),
  geometry: z.object({ type: z.literal("Polygon"), coordinates: z.array(z.array(point)).min(1) }),
  properties: z.object({
    class: z.enum(DETECTION_CLASSES),
    confidence: z.number(),
    area_m2: z.number(),
    length_m: z.number(),
    width_m: z.number(),
    evidence_score: z.number(),
    evidence_spectral: z.number(),
    evidence_brightness: z.number(),
    evidence_structure: z.number(),
    evidence_vegetation_loss: z.number(),
    evidence_water_before: z.number(),
    evidence_water_after: z.number(),
    evidence_shadow: z.number(),
    reason: z.string(),
    centroid: point,
    bbox_px: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  }),
});

const collectionSchema = z.object({ type: z.literal("FeatureCollection"), features: z.array(featureSchema) });

/** Reads a run folder; E_ARGUMENT naming the file when run.json or the GeoJSON is missing or not a run's. */
export async function readRunFolder(dir: string): Promise<RunFolder> {
  const record = (await readJson(join(dir, OUTPUT_FILES.record))) as RunRecord;
  if (typeof record?.runId !== "string" || typeof record.inputs?.before?.width !== "number") {
    throw new ChangewatchError(
      "E_ARGUMENT",
      `${join(dir, OUTPUT_FILES.record)}: not a changewatch run record`,
    );
  }
  const geojsonPath = join(dir, OUTPUT_FILES.geojson);
  const parsed = collectionSchema.safeParse(await readJson(geojsonPath));
  if (!parsed.success) {
    throw new ChangewatchError("E_ARGUMENT", `${geojsonPath}: not a changewatch detections file`);
  }
  const fromLonLat = lonLatToPixel(record.inputs.before);
  const geographic = fromLonLat !== null;
  const toPixel = ([x, y]: [number, number]): [number, number] => (fromLonLat ? fromLonLat(x, y) : [x, y]);
  const detections = parsed.data.features.map(({ id, geometry, properties: p }): ReportDetection => ({
    id,
    class: p.class,
    confidence: p.confidence,
    areaM2: p.area_m2,
    lengthM: p.length_m,
    widthM: p.width_m,
    centroid: p.centroid,
    bboxPx: p.bbox_px,
    polygonPx: geometry.coordinates[0].map(toPixel),
    evidence: {
      score: p.evidence_score,
      spectral: p.evidence_spectral,
      brightness: p.evidence_brightness,
      structure: p.evidence_structure,
      vegetationLoss: p.evidence_vegetation_loss,
      waterBefore: p.evidence_water_before,
      waterAfter: p.evidence_water_after,
      shadow: p.evidence_shadow,
    },
    reason: p.reason,
  }));
  return { dir, record, geographic, detections };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "not found" : `cannot be read (${code ?? (err as Error).message})`;
    throw new ChangewatchError("E_ARGUMENT", `${path}: ${problem}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ChangewatchError("E_ARGUMENT", `${path}: not valid JSON (${(err as Error).message})`);
  }
}
