/**
 * How a scan enters a site's history: as `running` when its run is submitted, then
 * `completed` (counts, detections and tracks) or `failed` when the run ends. Pure
 * functions from one history to the next; the caller reads, applies and writes under the
 * site's lock. Recording the same outcome twice changes nothing.
 */
import { DETECTION_CLASSES, type DetectionClass } from "../detect/detection.js";
import type { AcquisitionRef, ScanRecord, SiteHistory } from "./history.js";
import { updateTracks, type TrackedDetection } from "./tracks.js";

export interface StartedScan {
  runId: string;
  runKey: string;
  before: AcquisitionRef;
  after: AcquisitionRef;
  beforeIsBaseline: boolean;
  windowPx: ScanRecord["windowPx"];
}

export function startScan(history: SiteHistory, scan: StartedScan, now = new Date()): SiteHistory {
  if (history.scans.some((s) => s.runId === scan.runId)) return history;
  const record: ScanRecord = {
    ...scan,
    status: "running",
    submittedAt: now.toISOString(),
    finishedAt: null,
    failedReason: null,
    counts: null,
    detections: [],
  };
  return { ...history, scans: [...history.scans, record] };
}

function replaceScan(
  history: SiteHistory,
  runId: string,
  change: (s: ScanRecord) => ScanRecord,
): SiteHistory {
  return { ...history, scans: history.scans.map((s) => (s.runId === runId ? change(s) : s)) };
}

/** Records a completed run and threads its detections into the tracks (once: a running scan only). */
export function completeScan(
  history: SiteHistory,
  runId: string,
  detections: readonly TrackedDetection[],
  options: { gapM: number; now?: Date },
): SiteHistory {
  const scan = history.scans.find((s) => s.runId === runId);
  if (scan === undefined || scan.status !== "running") return history;
  const { tracks, trackOf } = updateTracks(
    history.tracks,
    detections,
    { runId, acquiredAt: scan.after.acquiredAt },
    { siteId: history.siteId, gapM: options.gapM },
  );
  const byClass = Object.fromEntries(DETECTION_CLASSES.map((c) => [c, 0])) as Record<DetectionClass, number>;
  for (const d of detections) byClass[d.class]++;
  const updated = replaceScan(history, runId, (s) => ({
    ...s,
    status: "completed",
    finishedAt: (options.now ?? new Date()).toISOString(),
    counts: { detections: detections.length, byClass },
    detections: detections.map((d) => ({
      detectionId: d.detectionId,
      trackId: trackOf.get(d.detectionId) as string,
      class: d.class,
      confidence: d.confidence,
      areaM2: d.areaM2,
      centroid: d.centroid,
    })),
  }));
  return { ...updated, tracks };
}

export function failScan(history: SiteHistory, runId: string, reason: string, now = new Date()): SiteHistory {
  const scan = history.scans.find((s) => s.runId === runId);
  if (scan === undefined || scan.status !== "running") return history;
  return replaceScan(history, runId, (s) => ({
    ...s,
    status: "failed",
    finishedAt: now.toISOString(),
    failedReason: reason,
  }));
}
