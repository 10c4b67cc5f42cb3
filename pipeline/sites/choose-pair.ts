/**
 * Which pair a scan compares: the newest acquisition that covers the area of interest,
 * after the site's baseline or after the image of the previous completed scan. A pair the
 * history already holds (completed, failed or running) is never chosen again, so "nothing
 * new" is an ordinary answer, not an error.
 */
import type { SiteConfig } from "../../config/site-schema.js";
import { ConfigError } from "../errors.js";
import { coversAoi } from "./aoi.js";
import { lastCompletedScan, type SiteHistory } from "./history.js";
import type { Acquisition } from "./imagery-source.js";

export type PairChoice =
  | { kind: "nothing-new"; reason: string }
  | { kind: "pair"; before: Acquisition; after: Acquisition; beforeIsBaseline: boolean };

function matchesBaseline(a: Acquisition, baseline: string): boolean {
  return a.id === baseline || a.acquiredAt.slice(0, 10) === baseline;
}

/** `acquisitions` oldest first (as sources list them). */
export function choosePair(
  site: Pick<SiteConfig, "id" | "aoi" | "baseline">,
  acquisitions: readonly Acquisition[],
  history: SiteHistory,
): PairChoice {
  const covering = acquisitions.filter((a) => coversAoi(a.footprint, site.aoi));
  const newest = covering.at(-1);
  if (newest === undefined) {
    return { kind: "nothing-new", reason: "no acquisition covers the area of interest" };
  }
  let before: Acquisition | undefined;
  let beforeIsBaseline = false;
  if (site.baseline !== null) {
    const baseline = site.baseline;
    before = covering.find((a) => matchesBaseline(a, baseline));
    if (before === undefined) {
      throw new ConfigError(
        `site ${site.id}: baseline "${baseline}" is not among the acquisitions that cover its area of interest`,
      );
    }
    beforeIsBaseline = true;
  } else {
    const previous = lastCompletedScan(history)?.after;
    // A first scan compares the two newest images; later ones continue from the last scanned.
    before = previous
      ? (covering.find((a) => a.uri === previous.uri) ?? { ...previous, footprint: null })
      : covering.at(-2);
    if (before === undefined) {
      return {
        kind: "nothing-new",
        reason: `only ${newest.id} covers the area of interest: waiting for a second`,
      };
    }
  }
  if (newest.acquiredAt <= before.acquiredAt) {
    return { kind: "nothing-new", reason: `no acquisition newer than ${before.id}` };
  }
  const done = history.scans.find((s) => s.before.uri === before.uri && s.after.uri === newest.uri);
  if (done) {
    return {
      kind: "nothing-new",
      reason: `${before.id} → ${newest.id} was scanned already (run ${done.runId}, ${done.status})`,
    };
  }
  return { kind: "pair", before, after: newest, beforeIsBaseline };
}
