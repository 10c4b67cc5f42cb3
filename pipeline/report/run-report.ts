/**
 * The HTML report of one run, for a person to judge in minutes: the overview with every
 * detection numbered, a summary, the detection table, then for each detection (most
 * confident first) before/after chips side by side with its measurements and evidence, and
 * the run's inputs, settings and timings. One self-contained file.
 */
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DETECTION_CLASSES } from "../detect/detection.js";
import { OUTPUT_FILES } from "../run/output-files.js";
import { renderChips, type ChipResult } from "./chips.js";
import {
  classLegend,
  classSwatch,
  escapeHtml,
  formatDate,
  formatDuration,
  formatNumber,
  htmlPage,
  mapUrl,
} from "./html.js";
import { overviewHtml } from "./overview.js";
import { readRunFolder, type ReportDetection, type RunFolder } from "./run-folder.js";

export interface RunReportOptions {
  /** The watched site the run belongs to, shown in the title. */
  site?: string | null;
  signal?: AbortSignal;
}

/** Builds the report of the run in `dir` (run.json, detections.geojson, quicklook.png). */
export async function buildRunReport(dir: string, options: RunReportOptions = {}): Promise<string> {
  const run = await readRunFolder(dir);
  const [overview, chips] = await Promise.all([
    overviewHtml(run),
    renderChips(run, { signal: options.signal }),
  ]);
  return renderRunReport(run, overview, chips, options.site ?? null);
}

/** Writes report.html into the run folder (staged under a temporary name, then renamed). */
export async function writeRunReport(dir: string, options: RunReportOptions = {}): Promise<string> {
  const html = await buildRunReport(dir, options);
  const path = join(dir, OUTPUT_FILES.report);
  const staged = `${path}.${process.pid}.partial`;
  try {
    await writeFile(staged, html);
    await rename(staged, path);
  } catch (err) {
    await rm(staged, { force: true });
    throw err;
  }
  return path;
}

function renderRunReport(run: RunFolder, overview: string, chips: ChipResult, site: string | null): string {
  const { record } = run;
  const { before, after } = record.inputs;
  const place = site ?? placeOf(before.path) ?? `run ${record.runId}`;
  const when = `${dateOf(before.acquiredAt, before.path)} → ${dateOf(after.acquiredAt, after.path)}`;
  const title = `${place}: ${when}`;
  const gsd = `${formatNumber(record.gsdM, record.gsdM < 10 ? 2 : 1)} m pixels${record.gsdSource === "assumed" ? " (assumed: the images have no geo-reference)" : ""}`;
  const count = run.detections.length;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>`,
    `<p class="sub">${escapeHtml(gsd)} · profile ${escapeHtml(record.profile.name)} · ${count} detection${count === 1 ? "" : "s"} · run ${escapeHtml(record.runId)} · ${escapeHtml(record.createdAt.replace("T", " ").slice(0, 16))} UTC</p></header>`,
    `<h2>Overview</h2>`,
    overview,
    classLegend(),
    `<h2>Summary</h2>`,
    summary(run),
    `<h2>Detections</h2>`,
    count === 0 ? `<p>No new construction detected.</p>` : detectionTable(run),
    count === 0 ? "" : `<h2>Before and after</h2>`,
    chips.ok ? "" : `<p class="note">No chips: ${escapeHtml(chips.reason)}.</p>`,
    run.detections.map((d, i) => detectionCard(run, d, i + 1, chips)).join("\n"),
    `<h2>Run</h2>`,
    runDetails(run),
    `<footer>${escapeHtml(record.software.name)} ${escapeHtml(record.software.version)} · pixel coordinates are on the before image's grid; chips show the after image aligned onto it.</footer>`,
  ];
  return htmlPage(`${title} — changewatch`, body.join("\n"));
}

/** Without a site, the folder the before image sits in usually names the place (samples/hyesan/). */
function placeOf(path: string): string | null {
  const folder = basename(dirname(path));
  return folder === "." || folder === "" || folder === "/" ? null : folder;
}

function dateOf(acquiredAt: string | null, path: string): string {
  return acquiredAt ? formatDate(acquiredAt) : basename(path);
}

function summary(run: RunFolder): string {
  const { record } = run;
  const rows = DETECTION_CLASSES.map((cls) => {
    const of = run.detections.filter((d) => d.class === cls);
    const area = of.reduce((s, d) => s + d.areaM2, 0);
    return `<tr><td>${classSwatch(cls)}${cls.replace("_", " ")}</td><td class="num">${of.length}</td><td class="num">${formatNumber(area)}</td></tr>`;
  });
  const total = run.detections.reduce((s, d) => s + d.areaM2, 0);
  const { shiftPx, estimatedShiftPx, shiftApplied, confidence, patchesUsed, reprojected } = record.alignment;
  const shift = shiftApplied
    ? `${signed(shiftPx.dx)}, ${signed(shiftPx.dy)} px (applied; ${Math.round(confidence * 100)}% of ${patchesUsed} patches agree)`
    : `none applied (measured ${signed(estimatedShiftPx.dx)}, ${signed(estimatedShiftPx.dy)} px; only ${Math.round(confidence * 100)}% of ${patchesUsed} patches agree)`;
  const changedShare = record.counts.validPx > 0 ? record.counts.changedPx / record.counts.validPx : 0;
  return `<div class="facts"><div><table id="summary-by-class"><thead><tr><th>class</th><th class="num">detections</th><th class="num">area m²</th></tr></thead><tbody>${rows.join("")}</tbody>
<tfoot><tr><th>total</th><th class="num">${run.detections.length}</th><th class="num">${formatNumber(total)}</th></tr></tfoot></table></div>
<div><table class="kv"><tbody>
<tr><th>alignment shift</th><td>${escapeHtml(shift)}</td></tr>
<tr><th>grids</th><td>${reprojected ? "after image reprojected onto the before grid" : "same CRS"}</td></tr>
<tr><th>processing time</th><td>${formatDuration(record.timingsMs.total ?? 0)}</td></tr>
<tr><th>changed area</th><td>${(changedShare * 100).toFixed(2)}% of ${formatNumber(record.counts.validPx)} valid pixels</td></tr>
<tr><th>rejected as not construction</th><td>${escapeHtml(rejectedText(record.counts.rejected))}</td></tr>
</tbody></table></div></div>`;
}

function rejectedText(rejected: Record<string, number>): string {
  const parts = Object.entries(rejected)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason.replace(/_/g, " ")}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

function signed(v: number): string {
  return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(2)}`;
}

function position(run: RunFolder, d: ReportDetection): { text: string; link: string | null } {
  const [x, y] = d.centroid;
  if (!run.geographic) return { text: `x ${x.toFixed(0)}, y ${y.toFixed(0)} px`, link: null };
  return { text: `${y.toFixed(6)}, ${x.toFixed(6)}`, link: mapUrl(x, y) };
}

function detectionTable(run: RunFolder): string {
  const rows = run.detections.map((d, i) => {
    const pos = position(run, d);
    const where = pos.link
      ? `<a href="${escapeHtml(pos.link)}" target="_blank" rel="noopener noreferrer">${escapeHtml(pos.text)}</a>`
      : escapeHtml(pos.text);
    return `<tr class="detection-row" id="row-${escapeHtml(d.id)}"><td class="num"><a href="#det-${escapeHtml(d.id)}">${i + 1}</a></td><td>${escapeHtml(d.id)}</td><td>${classSwatch(d.class)}${d.class.replace("_", " ")}</td><td class="num">${d.confidence.toFixed(2)}</td><td class="num">${formatNumber(d.areaM2)}</td><td class="num">${formatNumber(d.lengthM, 1)} × ${formatNumber(d.widthM, 1)}</td><td>${where}</td></tr>`;
  });
  const posHead = run.geographic ? "centroid lat, lon (map)" : "centroid (pixels)";
  return `<table id="detections"><thead><tr><th class="num">#</th><th>id</th><th>class</th><th class="num">confidence</th><th class="num">area m²</th><th class="num">length × width m</th><th>${posHead}</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

function detectionCard(run: RunFolder, d: ReportDetection, n: number, chips: ChipResult): string {
  const { before, after } = run.record.inputs;
  const pair = chips.ok ? chips.chips.get(d.id) : undefined;
  const figures = pair
    ? `<div class="chips"><figure><img class="chip chip-before" width="${pair.width}" height="${pair.height}" alt="${escapeHtml(d.id)} before" src="${pair.before}"><figcaption>before · ${escapeHtml(dateOf(before.acquiredAt, before.path))}</figcaption></figure>` +
      `<figure><img class="chip chip-after" width="${pair.width}" height="${pair.height}" alt="${escapeHtml(d.id)} after" src="${pair.after}"><figcaption>after · ${escapeHtml(dateOf(after.acquiredAt, after.path))} · ${pair.window.width} px = ${formatNumber(pair.window.width * run.record.gsdM)} m across</figcaption></figure></div>`
    : `<div></div>`;
  const pos = position(run, d);
  const where = pos.link
    ? `${escapeHtml(pos.text)} · <a href="${escapeHtml(pos.link)}" target="_blank" rel="noopener noreferrer">open map</a>`
    : escapeHtml(pos.text);
  const e = d.evidence;
  const evidence: [string, string][] = [
    ["construction score", e.score.toFixed(2)],
    ["spectral change", e.spectral.toFixed(2)],
    ["brightness change", e.brightness.toFixed(2)],
    ["structure (edges)", e.structure.toFixed(2)],
    ["vegetation loss", e.vegetationLoss.toFixed(2)],
    ["water before / after", `${e.waterBefore.toFixed(2)} / ${e.waterAfter.toFixed(2)}`],
    ["shadow", e.shadow.toFixed(2)],
  ];
  return `<section class="card detection" id="det-${escapeHtml(d.id)}">${figures}<div>
<h3>${n}. ${classSwatch(d.class)}${d.class.replace("_", " ")} <span class="sub">${escapeHtml(d.id)}</span></h3>
<table class="kv"><tbody>
<tr><th>confidence</th><td>${d.confidence.toFixed(2)}</td></tr>
<tr><th>area</th><td>${formatNumber(d.areaM2)} m² (${formatNumber(d.lengthM, 1)} × ${formatNumber(d.widthM, 1)} m)</td></tr>
<tr><th>centroid</th><td>${where}</td></tr>
<tr><th>evidence</th><td>${evidence.map(([k, v]) => `${k} ${v}`).join(" · ")}</td></tr>
</tbody></table>
<p class="reason">${escapeHtml(d.reason)}</p></div></section>`;
}

function runDetails(run: RunFolder): string {
  const { record } = run;
  const input = (label: string, i: typeof record.inputs.before) =>
    `<tr><th>${label}</th><td>${escapeHtml(i.path)} · ${i.width} × ${i.height} px, ${i.bands} band${i.bands === 1 ? "" : "s"} ${i.sampleType}${i.epsg !== null ? `, EPSG:${i.epsg}` : ", no geo-reference"}${i.acquiredAt ? ` · acquired ${escapeHtml(i.acquiredAt)}` : ""}</td></tr>`;
  const p = record.profile;
  const timings = Object.entries(record.timingsMs)
    .map(([k, v]) => `${escapeHtml(k)} ${formatDuration(v)}`)
    .join(" · ");
  return `<table class="kv"><tbody>
${input("before", record.inputs.before)}
${input("after", record.inputs.after)}
<tr><th>profile</th><td>${escapeHtml(p.name)}: areas ${formatNumber(p.minAreaM2)}–${formatNumber(p.maxAreaM2)} m², threshold ${record.statistics.threshold.toFixed(2)} noise units (floor ${p.thresholdFloor}, ceiling ${p.thresholdCeiling}), smoothing ${p.smoothingRadiusPx} px, opening ${p.openingRadiusPx} px, closing ${p.closingRadiusPx} px</td></tr>
<tr><th>tiles</th><td>${record.tiles.count} of ${record.tiles.tileSizePx} px with ${record.tiles.haloPx} px halo</td></tr>
<tr><th>timings</th><td>${timings}</td></tr>
</tbody></table>`;
}
