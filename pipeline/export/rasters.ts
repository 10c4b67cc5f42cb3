/**
 * Raster outputs of a run, stitched from the tiles' files in the work folder: the change
 * mask (on the before image's grid) and the quicklook (after image with outlines).
 */
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import type { Detection } from "../detect/detection.js";
import type { PairPlan } from "../run/pair-plan.js";
import { previewRange, tileFiles } from "../run/run-tile.js";
import { CLASS_COLOURS } from "./class-colours.js";

/**
 * Writes change-mask.png: 8-bit grey, 255 where a kept detection's pixels are, 0 elsewhere,
 * the size of the before image. `kept(tile, label)` says whether a tile's label survived.
 */
export async function writeChangeMask(
  path: string,
  plan: PairPlan,
  workDir: string,
  kept: (tileIndex: number, label: number) => boolean,
): Promise<void> {
  const mask = await changeMask(plan, workDir, kept);
  // Without the explicit colourspace sharp writes the single raw channel as RGB.
  await sharp(mask, { raw: { width: plan.before.width, height: plan.before.height, channels: 1 } })
    .toColourspace("b-w")
    .png({ compressionLevel: 6 })
    .toFile(path);
}

/** The change mask as a before-sized Uint8Array (255 = changed). */
export async function changeMask(
  plan: PairPlan,
  workDir: string,
  kept: (tileIndex: number, label: number) => boolean,
): Promise<Uint8Array> {
  const { width } = plan.before;
  const mask = new Uint8Array(width * plan.before.height);
  for (const tile of plan.tiles.tiles) {
    const buf = await readFile(tileFiles(workDir, tile.index).labels);
    const labels = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const { core } = tile;
    for (let y = 0; y < core.height; y++) {
      const row = (core.y + y) * width + core.x;
      for (let x = 0; x < core.width; x++) {
        const label = labels[y * core.width + x];
        if (label !== 0 && kept(tile.index, label)) mask[row + x] = 255;
      }
    }
  }
  return mask;
}

/** Writes quicklook.png: the aligned after image, downsampled, with detection outlines per class colour. */
export async function writeQuicklook(
  path: string,
  plan: PairPlan,
  workDir: string,
  detections: readonly Detection[],
): Promise<void> {
  const step = plan.quicklookStepPx;
  const { area } = plan.tiles;
  const qw = previewRange(0, area.width, step)[1];
  const qh = previewRange(0, area.height, step)[1];
  const rgb = new Uint8Array(qw * qh * 3);
  for (const tile of plan.tiles.tiles) {
    const [qx0, qx1] = previewRange(tile.core.x - area.x, tile.core.width, step);
    const [qy0, qy1] = previewRange(tile.core.y - area.y, tile.core.height, step);
    const part = await readFile(tileFiles(workDir, tile.index).preview);
    const rowBytes = (qx1 - qx0) * 3;
    for (let qy = qy0; qy < qy1; qy++) {
      rgb.set(part.subarray((qy - qy0) * rowBytes, (qy - qy0 + 1) * rowBytes), (qy * qw + qx0) * 3);
    }
  }
  const stroke = Math.max(1.5, Math.min(qw, qh) / 400);
  const toQ = ([x, y]: [number, number]) =>
    `${((x - area.x) / step).toFixed(1)},${((y - area.y) / step).toFixed(1)}`;
  const outlines = detections
    .map(
      (d) =>
        `<polygon points="${d.polygonPx.map(toQ).join(" ")}" fill="none" stroke="${CLASS_COLOURS[d.class]}" stroke-width="${stroke}"/>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${qw}" height="${qh}">${outlines}</svg>`;
  await sharp(rgb, { raw: { width: qw, height: qh, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toFile(path);
}
