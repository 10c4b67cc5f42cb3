/**
 * The report's overview: the run's quicklook (the aligned after image over the processed
 * area) re-encoded small enough to inline, with every detection outlined and numbered in
 * its class colour as vector marks in the before image's pixel coordinates.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { CLASS_COLOURS } from "../export/class-colours.js";
import { OUTPUT_FILES } from "../run/output-files.js";
import { escapeHtml } from "./html.js";
import type { RunFolder } from "./run-folder.js";

/** Wide enough for a full-width page on a large screen; the file stays a few hundred kB. */
const OVERVIEW_MAX_PX = 1600;

/** The overview's markup, or a note saying why there is none. */
export async function overviewHtml(run: RunFolder): Promise<string> {
  let png: Buffer;
  try {
    png = await readFile(join(run.dir, OUTPUT_FILES.quicklook));
  } catch {
    return `<p class="note">No overview: ${escapeHtml(OUTPUT_FILES.quicklook)} is missing from the run folder.</p>`;
  }
  const jpeg = await sharp(png)
    .resize(OVERVIEW_MAX_PX, OVERVIEW_MAX_PX, { fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  const area = run.record.alignment.overlapPx;
  const fontPx = Math.max(area.width, area.height) / 55;
  const marks = run.detections
    .map((d, i) => {
      const points = d.polygonPx.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
      const colour = CLASS_COLOURS[d.class];
      const [x0, y0, x1] = d.bboxPx;
      // The number sits above the outline's top edge, centred, so it never hides the structure.
      const tx = (x0 + x1) / 2;
      const ty = Math.max(area.y + fontPx, y0 - fontPx * 0.3);
      return (
        `<a href="#det-${escapeHtml(d.id)}"><polygon points="${points}" fill="none" stroke="${colour}" stroke-width="2" vector-effect="non-scaling-stroke"/>` +
        `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" fill="${colour}" font-size="${fontPx.toFixed(1)}" stroke-width="${(fontPx / 6).toFixed(1)}" text-anchor="middle">${i + 1}</text></a>`
      );
    })
    .join("");
  return (
    `<div class="overview"><img id="overview" alt="Overview: the after image with every detection outlined" ` +
    `width="${jpeg.info.width}" height="${jpeg.info.height}" src="data:image/jpeg;base64,${jpeg.data.toString("base64")}">` +
    `<svg viewBox="${area.x} ${area.y} ${area.width} ${area.height}" preserveAspectRatio="none" aria-hidden="true">${marks}</svg></div>`
  );
}
