/**
 * The scan-record job: follows one scan's run to its end, then records the outcome in the
 * site's history (counts, detections, tracks). While the run is in flight the job moves
 * itself back to delayed (scanPollMs), so waiting holds no worker slot and survives worker
 * restarts; whichever worker finds the run finished records it, under the site's lock.
 */
import { DelayedError, type Job } from "bullmq";
import { loadSites } from "../config/load-sites.js";
import type { Settings } from "../config/schema.js";
import { DEFAULT_TRACK_GAP_M } from "../config/site-schema.js";
import {
  readSiteHistory,
  writeSiteHistory,
  type ScanRecord,
  type SiteHistory,
} from "../pipeline/sites/history.js";
import { completeScan, failScan } from "../pipeline/sites/record-scan.js";
import { readRunDetections } from "../pipeline/sites/run-detections.js";
import { parsePayload } from "./job-catalogue.js";
import { withJobErrors } from "./job-errors.js";
import type { RunQueues } from "./run-queues.js";
import { runState, type RunState } from "./scan-run-state.js";
import type { SiteLock } from "./scan-lock.js";

export interface ScanRecordJobResult {
  siteId: string;
  runId: string;
  status: ScanRecord["status"];
  detections: number;
}

/** Applies a finished run's outcome to the history; a running state leaves it as it is. */
export async function settleScan(
  history: SiteHistory,
  runId: string,
  state: RunState,
  gapM: number,
): Promise<SiteHistory> {
  if (state.state === "completed") {
    return completeScan(history, runId, await readRunDetections(state.result.outDir), { gapM });
  }
  if (state.state === "failed") return failScan(history, runId, state.reason);
  return history;
}

/** The site's track gap; a site removed from the config since still gets its run recorded. */
export async function trackGapM(settings: Settings, siteId: string): Promise<number> {
  const sites = await loadSites(settings.sitesFile, settings);
  return sites.find((s) => s.id === siteId)?.trackGapM ?? DEFAULT_TRACK_GAP_M;
}

export function scanRecordProcessor(settings: Settings, queues: RunQueues, lock: SiteLock) {
  return async (job: Job, token?: string): Promise<ScanRecordJobResult> => {
    const data = parsePayload("scan-record", job);
    const state = await runState(queues, data.runKey);
    if (state.state === "running") {
      await job.moveToDelayed(Date.now() + settings.scanPollMs, token);
      throw new DelayedError();
    }
    return withJobErrors(async () => {
      const gapM = await trackGapM(settings, data.siteId);
      return lock.withLock(data.siteId, async () => {
        const before = await readSiteHistory(settings.dataDir, data.siteId);
        const after = await settleScan(before, data.runId, state, gapM);
        if (after !== before) await writeSiteHistory(settings.dataDir, after);
        const scan = after.scans.find((s) => s.runId === data.runId);
        return {
          siteId: data.siteId,
          runId: data.runId,
          status: scan?.status ?? state.state,
          detections: scan?.counts?.detections ?? 0,
        };
      });
    });
  };
}
