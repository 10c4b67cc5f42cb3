/**
 * The site report's chart: detections by class per scan as stacked bars, drawn here as an
 * inline SVG (no chart library, nothing to fetch), one bar per completed scan in time order.
 */
import { DETECTION_CLASSES, type DetectionClass } from "../detect/detection.js";
import { CLASS_COLOURS } from "../export/class-colours.js";
import { escapeHtml } from "./html.js";

export interface ChartBar {
  label: string;
  byClass: Record<DetectionClass, number>;
}

const WIDTH = 860;
const HEIGHT = 260;
const PAD = { left: 44, right: 12, top: 14, bottom: 46 };

/** "Nice" axis maximum and step: 1, 2 or 5 times a power of ten, about five ticks. */
export function axisTicks(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const whole = Math.max(1, step);
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

export function stackedBarChart(bars: readonly ChartBar[]): string {
  const totals = bars.map((b) => DETECTION_CLASSES.reduce((s, c) => s + b.byClass[c], 0));
  const { top, step } = axisTicks(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(48, slot * 0.7);
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d9dee3"/>`,
      `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#5b6570">${v}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const x = PAD.left + slot * i + (slot - barW) / 2;
    let base = 0;
    for (const cls of DETECTION_CLASSES) {
      const n = bar.byClass[cls];
      if (n === 0) continue;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${CLASS_COLOURS[cls]}" stroke="#1d232a" stroke-width="0.5"><title>${escapeHtml(bar.label)}: ${n} ${cls.replace("_", " ")}</title></rect>`,
      );
      base += n;
    }
    parts.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#1d232a">${escapeHtml(bar.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11" fill="#5b6570">detections per scan (after-image date), by class</text>`,
  );
  return `<svg class="chart" id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Detections by class per scan">${parts.join("")}</svg>`;
}
