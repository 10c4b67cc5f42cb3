/**
 * Assembly, the last step of every run whichever runner executed its tiles: builds the
 * detections from the tile results and writes all outputs into a staged folder that is
 * renamed into place only when complete.
 */
import { isGeoReferenced } from "../align/crs.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Settings } from "../../config/schema.js";
import type { RejectionReason } from "../detect/classify.js";
import { DETECTION_CLASSES, type Detection, type DetectionClass } from "../detect/detection.js";
import { toCsv } from "../export/csv.js";
import { toFeatureCollection } from "../export/geojson.js";
import { writeChangeMask, writeQuicklook } from "../export/rasters.js";
import { writeRunReport } from "../report/run-report.js";
import { SOFTWARE } from "../version.js";
import { buildDetections } from "./detections.js";
import { stageFolder } from "./output-folder.js";
import { OUTPUT_FILES } from "./output-files.js";
import type { PairPlan } from "./pair-plan.js";
import type { TileResult } from "./run-tile.js";

// The file names live apart so the report, which reads a run folder, needs nothing from here.
export { OUTPUT_FILES };

export interface RunRecord {
  runId: string;
  software: { name: string; version: string };
  createdAt: string;
  inputs: { before: PairPlan["before"]; after: PairPlan["after"] };
  settings: Settings;
  profile: PairPlan["profile"];
  gsdM: number;
  gsdSource: PairPlan["gsdSource"];
  alignment: {
    shiftPx: { dx: number; dy: number };
    estimatedShiftPx: { dx: number; dy: number };
    shiftApplied: boolean;
    confidence: number;
    patchesUsed: number;
    reprojected: boolean;
    overlapPx: PairPlan["geometry"]["overlap"];
  };
  statistics: PairPlan["stats"];
  tiles: { count: number; tileSizePx: number; haloPx: number };
  timingsMs: Record<string, number>;
  counts: {
    detections: number;
    byClass: Record<DetectionClass, number>;
    regionsBeforeSizeFilter: number;
    /** Regions of detection size judged to be change that is not construction. */
    rejected: Record<RejectionReason, number>;
    changedPx: number;
    validPx: number;
  };
  outputs: string[];
}

export interface AssembleOptions {
  runId: string;
  settings: Settings;
  workDir: string;
  outDir: string;
  /** Timings of the stages before assembly, added to run.json. */
  timingsMs: Record<string, number>;
}

export interface RunResult {
  record: RunRecord;
  detections: Detection[];
  outDir: string;
}

export async function assembleRun(
  plan: PairPlan,
  results: readonly TileResult[],
  options: AssembleOptions,
): Promise<RunResult> {
  const started = performance.now();
  const ordered = [...results].sort((a, b) => a.index - b.index);
  if (ordered.length !== plan.tiles.tiles.length) {
    throw new Error(`expected ${plan.tiles.tiles.length} tile results but received ${ordered.length}`);
  }
  const { detections, keptFragments, regionCount, rejected } = buildDetections(plan, ordered);
  const byConfidence = [...detections].sort(
    (a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id),
  );
  const geographic = isGeoReferenced(plan.before);

  const staged = await stageFolder(options.outDir);
  try {
    const dir = staged.path;
    await writeFile(
      join(dir, OUTPUT_FILES.geojson),
      JSON.stringify(toFeatureCollection(byConfidence, { geographic }), null, 1),
    );
    await writeFile(join(dir, OUTPUT_FILES.csv), toCsv(byConfidence, { geographic }));
    await writeChangeMask(join(dir, OUTPUT_FILES.mask), plan, options.workDir, (tile, label) =>
      keptFragments.has(`${tile}:${label}`),
    );
    await writeQuicklook(join(dir, OUTPUT_FILES.quicklook), plan, options.workDir, byConfidence);
    const byClass = Object.fromEntries(DETECTION_CLASSES.map((c) => [c, 0])) as Record<
      DetectionClass,
      number
    >;
    for (const d of detections) byClass[d.class]++;
    const record: RunRecord = {
      runId: options.runId,
      software: SOFTWARE,
      createdAt: new Date().toISOString(),
      inputs: { before: plan.before, after: plan.after },
      settings: options.settings,
      profile: plan.profile,
      gsdM: plan.gsdM,
      gsdSource: plan.gsdSource,
      alignment: {
        shiftPx: { dx: plan.shift.dx, dy: plan.shift.dy },
        estimatedShiftPx: plan.shiftEstimate,
        shiftApplied: plan.shift.applied,
        confidence: plan.shift.confidence,
        patchesUsed: plan.shift.patchesUsed,
        reprojected: plan.geometry.reprojected,
        overlapPx: plan.geometry.overlap,
      },
      statistics: plan.stats,
      tiles: { count: plan.tiles.tiles.length, tileSizePx: plan.tiles.tileSizePx, haloPx: plan.tiles.haloPx },
      timingsMs: withTotal({ ...options.timingsMs, assemble: Math.round(performance.now() - started) }),
      counts: {
        detections: detections.length,
        byClass,
        regionsBeforeSizeFilter: regionCount,
        rejected,
        changedPx: ordered.reduce((n, r) => n + r.changedPx, 0),
        validPx: ordered.reduce((n, r) => n + r.validPx, 0),
      },
      outputs: Object.values(OUTPUT_FILES),
    };
    await writeFile(join(dir, OUTPUT_FILES.record), JSON.stringify(record, null, 2));
    // Built from the files just written, exactly as `changewatch report` builds it later.
    await writeRunReport(dir);
    await staged.commit();
    return { record, detections: byConfidence, outDir: options.outDir };
  } catch (err) {
    await staged.discard();
    throw err;
  }
}

function withTotal(timings: Record<string, number>): Record<string, number> {
  return { ...timings, total: Object.values(timings).reduce((a, b) => a + b, 0) };
}
