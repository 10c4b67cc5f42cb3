/**
 * A watched site's report over time, from its history: a chart of detections by class per
 * scan, the scans (which acquisitions were paired, status, counts, a link to each run's own
 * report), and each structure's track — first and last seen, and how its area grew.
 */
import { DETECTION_CLASSES, type DetectionClass } from "../detect/detection.js";
import { OUTPUT_FILES } from "../run/output-files.js";
import type { SiteHistory, Track } from "../sites/history.js";
import { classLegend, escapeHtml, formatDate, formatNumber, htmlPage, mapUrl } from "./html.js";
import { stackedBarChart } from "./site-chart.js";

export interface SiteReportOptions {
  /** Only scans whose after image was taken on or after this date (YYYY-MM-DD), and tracks seen since. */
  since?: string;
}

/**
 * Builds the site report. Run links are relative (`../../runs/<runId>/report.html`): the
 * report is written to `<dataDir>/sites/<siteId>/`, next to the runs.
 */
export function buildSiteReport(history: SiteHistory, options: SiteReportOptions = {}): string {
  const since = options.since ?? "";
  const scans = history.scans.filter((s) => s.after.acquiredAt >= since);
  const tracks = history.tracks
    .filter((t) => t.lastSeen >= since)
    .map((t) => ({ ...t, sightings: t.sightings.filter((s) => s.acquiredAt >= since) }))
    .filter((t) => t.sightings.length > 0);
  const completed = scans.filter((s) => s.status === "completed" && s.counts !== null);
  const span =
    scans.length > 0
      ? `${formatDate(scans[0].after.acquiredAt)} → ${formatDate(scans[scans.length - 1].after.acquiredAt)}`
      : "no scans";
  const title = `${history.siteId}: ${span}`;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>`,
    `<p class="sub">${scans.length} scan${scans.length === 1 ? "" : "s"} · ${tracks.length} tracked structure${tracks.length === 1 ? "" : "s"}${since ? ` · since ${escapeHtml(since)}` : ""} · history updated ${escapeHtml(history.updatedAt.replace("T", " ").slice(0, 16))} UTC</p></header>`,
    `<h2>Detections per scan</h2>`,
    completed.length > 0
      ? stackedBarChart(
          completed.map((s) => ({
            label: formatDate(s.after.acquiredAt),
            byClass: s.counts!.byClass,
          })),
        )
      : `<p>No completed scans yet.</p>`,
    completed.length > 0 ? classLegend() : "",
    `<h2>Scans</h2>`,
    scans.length > 0 ? scanTable(scans) : `<p>No scans${since ? " in this period" : ""}.</p>`,
    `<h2>Tracked structures</h2>`,
    tracks.length > 0 ? trackTable(tracks) : `<p>No structures tracked${since ? " in this period" : ""}.</p>`,
  ];
  return htmlPage(`${title} — changewatch site report`, body.join("\n"));
}

function classCounts(byClass: Record<DetectionClass, number>): string {
  return DETECTION_CLASSES.filter((c) => byClass[c] > 0)
    .map((c) => `${byClass[c]} ${c.replace("_", " ")}`)
    .join(", ");
}

function scanTable(scans: SiteHistory["scans"]): string {
  const rows = scans.map((s) => {
    const run = `../../runs/${encodeURIComponent(s.runId)}/${OUTPUT_FILES.report}`;
    const outcome =
      s.status === "completed" && s.counts
        ? `${s.counts.detections}${s.counts.detections > 0 ? ` (${escapeHtml(classCounts(s.counts.byClass))})` : ""}`
        : s.status === "failed"
          ? `failed: ${escapeHtml(s.failedReason ?? "unknown")}`
          : "running";
    return `<tr class="scan-row"><td>${escapeHtml(formatDate(s.after.acquiredAt))}</td><td>${escapeHtml(formatDate(s.before.acquiredAt))}${s.beforeIsBaseline ? " (baseline)" : ""}</td><td>${outcome}</td><td>${s.status === "completed" ? `<a href="${escapeHtml(run)}">${escapeHtml(s.runId)}</a>` : escapeHtml(s.runId)}</td></tr>`;
  });
  return `<table id="scans"><thead><tr><th>after</th><th>before</th><th>detections</th><th>run report</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

/** Mean of a closed ring's vertices (the closing point counted once): near enough to centre a map. */
function ringCentre(ring: [number, number][]): [number, number] | null {
  const open = ring.length > 1 ? ring.slice(0, -1) : ring;
  if (open.length === 0) return null;
  return [open.reduce((s, p) => s + p[0], 0) / open.length, open.reduce((s, p) => s + p[1], 0) / open.length];
}

function trackTable(tracks: Track[]): string {
  const rows = tracks.map((t) => {
    const first = t.sightings[0];
    const last = t.sightings[t.sightings.length - 1];
    const growth = last.areaM2 - first.areaM2;
    const share =
      first.areaM2 > 0
        ? ` (${growth >= 0 ? "+" : "−"}${Math.abs((growth / first.areaM2) * 100).toFixed(0)}%)`
        : "";
    const centre = ringCentre(t.polygon);
    const map = centre
      ? `<a href="${escapeHtml(mapUrl(centre[0], centre[1]))}" target="_blank" rel="noopener noreferrer">map</a>`
      : "";
    return `<tr class="track-row"><td>${escapeHtml(t.id)}</td><td>${t.class.replace("_", " ")}</td><td>${escapeHtml(formatDate(t.firstSeen))}</td><td>${escapeHtml(formatDate(t.lastSeen))}</td><td class="num">${t.sightings.length}</td><td class="num">${formatNumber(first.areaM2)}</td><td class="num">${formatNumber(last.areaM2)}</td><td class="num">${growth >= 0 ? "+" : "−"}${formatNumber(Math.abs(growth))}${share}</td><td>${map}</td></tr>`;
  });
  return `<table id="tracks"><thead><tr><th>track</th><th>class</th><th>first seen</th><th>last seen</th><th class="num">scans</th><th class="num">first m²</th><th class="num">latest m²</th><th class="num">growth m²</th><th></th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}
