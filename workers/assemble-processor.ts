/**
 * The assemble job: runs when every tile child has completed. It gathers the children's
 * TileResults, builds and writes the outputs with the same assembleRun as `detect` (staged
 * folder, then rename) into runs/<runId>/, and removes the run's work folder.
 */
import { isGeoReferenced } from "../pipeline/align/crs.js";
import { readFile, rm } from "node:fs/promises";
import type { Job } from "bullmq";
import type { Settings } from "../config/schema.js";
import type { Detection } from "../pipeline/detect/detection.js";
import { assembleRun, type RunRecord } from "../pipeline/run/assemble.js";
import type { PairPlan } from "../pipeline/run/pair-plan.js";
import type { TileResult } from "../pipeline/run/run-tile.js";
import { parsePayload } from "./job-catalogue.js";
import { withJobErrors } from "./job-errors.js";

/** What a run's summary shows of each detection (the full records are in the output files). */
export type DetectionSummary = Pick<
  Detection,
  "id" | "class" | "confidence" | "areaM2" | "centroid" | "bboxPx"
>;

export interface AssembleJobResult {
  runId: string;
  site: string | null;
  outDir: string;
  geographic: boolean;
  profile: string;
  gsdM: number;
  gsdSource: RunRecord["gsdSource"];
  counts: RunRecord["counts"];
  timingsMs: Record<string, number>;
  detections: DetectionSummary[];
}

export function assembleProcessor(settings: Settings) {
  return async (job: Job): Promise<AssembleJobResult> => {
    const data = parsePayload("assemble", job);
    return withJobErrors(async () => {
      const values = (await job.getChildrenValues<TileResult>()) ?? {};
      const plan = JSON.parse(await readFile(data.planPath, "utf8")) as PairPlan;
      // Tiles ran between the flow's creation and this job's start, spread over the workers.
      const tilesMs = Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp);
      const { record, detections, outDir } = await assembleRun(plan, Object.values(values), {
        runId: data.runId,
        settings: { ...settings, ...data.parameters },
        workDir: data.workDir,
        outDir: data.outDir,
        timingsMs: { ...data.timingsMs, tiles: tilesMs },
      });
      await rm(data.workDir, { recursive: true, force: true });
      return {
        runId: data.runId,
        site: data.site,
        outDir,
        geographic: isGeoReferenced(plan.before),
        profile: record.profile.name,
        gsdM: record.gsdM,
        gsdSource: record.gsdSource,
        counts: record.counts,
        timingsMs: record.timingsMs,
        detections: detections.map(({ id, class: cls, confidence, areaM2, centroid, bboxPx }) => ({
          id,
          class: cls,
          confidence,
          areaM2,
          centroid,
          bboxPx,
        })),
      };
    });
  };
}
