/**
 * The scan job (fired by a site's job scheduler or by `changewatch scan`): under the site's
 * lock, settle a finished earlier run, pick the next pair from the site's imagery source,
 * clip it to the area of interest, submit it through the ordinary submit path, mark the scan
 * running in the history and add its scan-record job. A site has at most one run in flight,
 * so scans are recorded, and tracks built, in acquisition order.
 */
import type { Job } from "bullmq";
import { findSite, loadSites } from "../config/load-sites.js";
import type { Settings } from "../config/schema.js";
import { InputError } from "../pipeline/errors.js";
import { openRaster } from "../pipeline/raster/open-raster.js";
import { aoiWindow } from "../pipeline/sites/aoi.js";
import { choosePair } from "../pipeline/sites/choose-pair.js";
import { readSiteHistory, runningScan, writeSiteHistory } from "../pipeline/sites/history.js";
import type { Acquisition } from "../pipeline/sites/imagery-source.js";
import { openImagerySource } from "../pipeline/sites/open-source.js";
import { startScan } from "../pipeline/sites/record-scan.js";
import { parsePayload, type JobPayload } from "./job-catalogue.js";
import { withJobErrors } from "./job-errors.js";
import type { RunQueues } from "./run-queues.js";
import { settleScan } from "./scan-record-processor.js";
import { runState } from "./scan-run-state.js";
import type { SiteLock } from "./scan-lock.js";
import { submitRun } from "./submit-run.js";

export type ScanOutcome = "submitted" | "nothing-new" | "busy";

export interface ScanJobResult {
  siteId: string;
  outcome: ScanOutcome;
  /** Why nothing was submitted, for people. */
  reason: string | null;
  /** The run submitted, or (busy) the run still in flight. */
  runId: string | null;
  runKey: string | null;
  before: string | null;
  after: string | null;
}

/** The job id of the scan-record job following run `runKey`. */
export function scanRecordJobId(runKey: string): string {
  return `scan-record-${runKey}`;
}

export async function scanSite(
  siteId: string,
  settings: Settings,
  queues: RunQueues,
  lock: SiteLock,
): Promise<ScanJobResult> {
  const site = findSite(await loadSites(settings.sitesFile, settings), siteId);
  const none = { siteId, runId: null, runKey: null, before: null, after: null };
  return lock.withLock(siteId, async () => {
    let history = await readSiteHistory(settings.dataDir, siteId);
    const running = runningScan(history);
    if (running) {
      const state = await runState(queues, running.runKey);
      if (state.state === "running") {
        return {
          ...none,
          outcome: "busy",
          reason: `run ${running.runId} of this site is still running`,
          runId: running.runId,
          runKey: running.runKey,
          before: running.before.id,
          after: running.after.id,
        };
      }
      history = await settleScan(history, running.runId, state, site.trackGapM);
      await writeSiteHistory(settings.dataDir, history);
    }
    const { acquisitions } = await openImagerySource(site.source, settings).list();
    const choice = choosePair(site, acquisitions, history);
    if (choice.kind === "nothing-new") return { ...none, outcome: "nothing-new", reason: choice.reason };

    const { before, after } = choice;
    const raster = await openRaster(before.uri, settings);
    await raster.close();
    const windowPx = aoiWindow(raster.info, site.aoi);
    if (windowPx === null) {
      throw new InputError(
        "E_NO_OVERLAP",
        before.uri,
        `does not show the area of interest of site ${siteId}`,
      );
    }
    const submission = await submitRun(queues, settings, {
      before: before.uri,
      after: after.uri,
      site: siteId,
      profileName: site.profile ?? undefined,
      windowPx,
    });
    const ref = (a: Acquisition) => ({ id: a.id, uri: a.uri, acquiredAt: a.acquiredAt });
    history = startScan(history, {
      runId: submission.runId,
      runKey: submission.runKey,
      before: ref(before),
      after: ref(after),
      beforeIsBaseline: choice.beforeIsBaseline,
      windowPx,
    });
    await writeSiteHistory(settings.dataDir, history);
    const data: JobPayload<"scan-record"> = { siteId, runId: submission.runId, runKey: submission.runKey };
    await queues.scanRecord.add(
      "scan-record",
      data,
      queues.jobOptions("scan-record", scanRecordJobId(submission.runKey)),
    );
    return {
      siteId,
      outcome: "submitted",
      reason: submission.duplicate ? `run ${submission.runKey} was in the queue already` : null,
      runId: submission.runId,
      runKey: submission.runKey,
      before: before.id,
      after: after.id,
    };
  });
}

export function scanProcessor(settings: Settings, queues: RunQueues, lock: SiteLock) {
  return async (job: Job): Promise<ScanJobResult> => {
    const data = parsePayload("scan", job);
    return withJobErrors(() => scanSite(data.siteId, settings, queues, lock));
  };
}
