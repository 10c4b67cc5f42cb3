/**
 * The page shell every changewatch report shares: escaping, number formatting and one
 * inline style sheet. Reports are single files read offline, so the Content-Security-Policy
 * allows nothing but inline styles and data: images — a stray external reference fails
 * visibly instead of leaking a request.
 */
import { DETECTION_CLASSES, type DetectionClass } from "../detect/detection.js";
import { CLASS_COLOURS } from "../export/class-colours.js";

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rounds for display with thin grouping of thousands: 12 345.6. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration in ms as "850 ms", "3.9 s" or "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** The date part of an ISO time, or the text as it is. */
export function formatDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}

/** An OpenStreetMap link centred on a WGS84 point. */
export function mapUrl(lon: number, lat: number, zoom = 18): string {
  const la = lat.toFixed(6);
  const lo = lon.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=${zoom}/${la}/${lo}`;
}

/** A small square in the class colour, before the class name. */
export function classSwatch(cls: DetectionClass): string {
  return `<span class="swatch" style="background:${CLASS_COLOURS[cls]}"></span>`;
}

/** Every class with its colour, under an overview or a chart. */
export function classLegend(): string {
  return `<div class="legend">${DETECTION_CLASSES.map((c) => `<span>${classSwatch(c)}${c.replace("_", " ")}</span>`).join("")}</div>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d232a; --muted: #5b6570; --line: #d9dee3; --panel: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 8px; }
.sub { color: var(--muted); margin: 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; background: var(--panel); }
td.num, th.num { text-align: right; }
a { color: #0b63c5; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; border: 1px solid #0005; vertical-align: -1px; }
.overview { position: relative; line-height: 0; border: 1px solid var(--line); }
.overview img { width: 100%; height: auto; }
.overview svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.overview text { font-weight: 700; paint-order: stroke; stroke: #000; stroke-opacity: .8; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0 0; color: var(--muted); font-size: 13px; }
.facts { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.facts > div { min-width: 240px; }
.kv th { background: none; font-weight: 500; color: var(--muted); white-space: nowrap; }
.card { display: grid; grid-template-columns: auto 1fr; gap: 20px; padding: 18px 0; border-bottom: 1px solid var(--line); }
.chips { display: flex; gap: 8px; }
.chips figure { margin: 0; }
.chips img { display: block; width: 240px; height: 240px; image-rendering: pixelated; border: 1px solid var(--line); }
.chips figcaption { font-size: 12px; color: var(--muted); padding-top: 3px; }
.reason { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.note { background: #fff4d6; border: 1px solid #f0d48a; padding: 8px 12px; border-radius: 4px; }
.chart { max-width: 100%; height: auto; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { .card { break-inside: avoid; } }
`;

/** A complete, self-contained HTML document. `body` is trusted markup built by a report. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
