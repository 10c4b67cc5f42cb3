/**
 * A watched site's history: every scan (which acquisitions were paired, the run, counts by
 * class) and the tracks — structures followed across scans under one identity. It lives in
 * `<dataDir>/sites/<siteId>/history.json`, next to the runs it points at, and is replaced
 * atomically (written under a temporary name, then renamed), so readers never see half a file.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DetectionClass } from "../detect/detection.js";
import { ChangewatchError } from "../errors.js";

export const HISTORY_VERSION = 1;

/** One image of a site's imagery source, as a scan used it. */
export interface AcquisitionRef {
  /** The source's id of the acquisition (a folder source: the file name). */
  id: string;
  /** Absolute path or URL of the image, as the run read it. */
  uri: string;
  /** When the image was taken, ISO 8601 (a date alone when only the day is known). */
  acquiredAt: string;
}

/** `running`: the run is submitted and not finished; `completed` and `failed` are final. */
export type ScanStatus = "running" | "completed" | "failed";

/** One detection of a completed scan and the track it was given. */
export interface ScanDetection {
  /** The detection's id in the run's outputs (`runs/<runId>/detections.geojson`). */
  detectionId: string;
  trackId: string;
  class: DetectionClass;
  confidence: number;
  areaM2: number;
  /** [lon, lat] WGS84. */
  centroid: [number, number];
}

export interface ScanRecord {
  /** The run's id (its outputs are in `<dataDir>/runs/<runId>/`). */
  runId: string;
  /** The run's job id in the queue. */
  runKey: string;
  before: AcquisitionRef;
  after: AcquisitionRef;
  /** True when `before` is the site's fixed baseline rather than the previous scan's image. */
  beforeIsBaseline: boolean;
  /** The area of interest as a window of the before image, in before pixels. */
  windowPx: { x: number; y: number; width: number; height: number };
  status: ScanStatus;
  submittedAt: string;
  /** When the run finished (completed or failed); null while running. */
  finishedAt: string | null;
  failedReason: string | null;
  /** Detections by class; null until the run completes. */
  counts: { detections: number; byClass: Record<DetectionClass, number> } | null;
  /** The run's detections with their tracks; empty until the run completes. */
  detections: ScanDetection[];
}

/** A track's appearance in one completed scan. */
export interface TrackSighting {
  runId: string;
  /** The scan's after acquisition time. */
  acquiredAt: string;
  detectionId: string;
  class: DetectionClass;
  areaM2: number;
  confidence: number;
}

/** One structure followed across scans: detections whose outlines overlap scan after scan. */
export interface Track {
  /** `<siteId>-<n>`, n counting from 1 in order of first sighting. */
  id: string;
  /** The class at the latest sighting. */
  class: DetectionClass;
  /** After-acquisition times of the first and latest scan that saw it. */
  firstSeen: string;
  lastSeen: string;
  /** Area at the latest sighting, m². */
  areaM2: number;
  /** Latest outline, closed WGS84 [lon, lat] ring (matched against the next scan's detections). */
  polygon: [number, number][];
  /** Every sighting, oldest first. */
  sightings: TrackSighting[];
}

export interface SiteHistory {
  version: typeof HISTORY_VERSION;
  siteId: string;
  updatedAt: string;
  /** Oldest first, in the order the scans were submitted. */
  scans: ScanRecord[];
  /** In order of first sighting. */
  tracks: Track[];
}

export function siteDir(dataDir: string, siteId: string): string {
  return join(resolve(dataDir), "sites", siteId);
}

export function historyPath(dataDir: string, siteId: string): string {
  return join(siteDir(dataDir, siteId), "history.json");
}

export function emptyHistory(siteId: string): SiteHistory {
  return { version: HISTORY_VERSION, siteId, updatedAt: new Date(0).toISOString(), scans: [], tracks: [] };
}

/** The site's history; an empty one when the site was never scanned. */
export async function readSiteHistory(dataDir: string, siteId: string): Promise<SiteHistory> {
  const path = historyPath(dataDir, siteId);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyHistory(siteId);
    throw err;
  }
  let history: SiteHistory;
  try {
    history = JSON.parse(text) as SiteHistory;
  } catch (err) {
    throw new ChangewatchError("E_CONFIG", `${path}: not valid JSON (${(err as Error).message})`);
  }
  if (history.version !== HISTORY_VERSION || history.siteId !== siteId) {
    throw new ChangewatchError(
      "E_CONFIG",
      `${path}: expected a version ${HISTORY_VERSION} history of site ${siteId} but found version ${history.version} of ${history.siteId}`,
    );
  }
  return history;
}

/**
 * Replaces the site's history atomically. Callers serialise writers of one site (the scan
 * job holds the site's lock); the rename makes every reader see the old or the new file.
 */
export async function writeSiteHistory(dataDir: string, history: SiteHistory): Promise<void> {
  const path = historyPath(dataDir, history.siteId);
  await mkdir(siteDir(dataDir, history.siteId), { recursive: true });
  const staged = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.partial`;
  try {
    await writeFile(staged, JSON.stringify({ ...history, updatedAt: new Date().toISOString() }, null, 1));
    await rename(staged, path);
  } catch (err) {
    await rm(staged, { force: true });
    throw err;
  }
}

/** The scan whose run is still in flight, if any (a site has at most one). */
export function runningScan(history: SiteHistory): ScanRecord | undefined {
  return history.scans.find((s) => s.status === "running");
}

/** The latest completed scan, if any. */
export function lastCompletedScan(history: SiteHistory): ScanRecord | undefined {
  return history.scans.findLast((s) => s.status === "completed");
}
