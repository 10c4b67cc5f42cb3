/**
 * Raster outputs of a run, stitched from the tiles' files in the work folder: the change
 * mask (on the before image's grid) and the quicklook (after image with outlines).
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import type { Detection } from "../detect/detection.js";
import type { PairPlan } from "../run/pair-plan.js";
import { previewRange, tileFiles } from "../run/run-tile.js";
import type { Tile } from "../tiling/tile-plan.js";
import { CLASS_COLOURS } from "./class-colours.js";

/**
 * Writes change-mask.png: 8-bit grey, 255 where a kept detection's pixels are, 0 elsewhere,
 * the size of the before image. `kept(tile, label)` says whether a tile's label survived.
 * The mask is staged in the work folder as an uncompressed strip TIFF, one row of tiles at
 * a time, and libvips reads it back strip by strip while encoding the PNG: memory stays
 * bounded by a row of tiles instead of growing with the image (268 MB at 16384 px square).
 */
export async function writeChangeMask(
  path: string,
  plan: PairPlan,
  workDir: string,
  kept: (tileIndex: number, label: number) => boolean,
): Promise<void> {
  const staged = join(workDir, "change-mask.tif");
  await writeMaskTiff(staged, plan, workDir, kept);
  // Without the explicit colourspace sharp writes the single channel as RGB.
  // sharp refuses inputs above 0x3fff² pixels by default; the image passed maxPixels already.
  await sharp(staged, { sequentialRead: true, limitInputPixels: plan.before.width * plan.before.height })
    .toColourspace("b-w")
    .png({ compressionLevel: 6 })
    .toFile(path);
  await rm(staged, { force: true });
}

/** Rows per strip of the staged mask: 1 MB strips at 16384 px wide. */
const MASK_ROWS_PER_STRIP = 64;

/**
 * Writes the mask (255 = changed) as a little-endian, uncompressed, single-band uint8 strip
 * TIFF: the header and its strip tables first, then the rows in order, which are known up
 * front because nothing is compressed. Rows outside the tiles' area stay 0.
 */
async function writeMaskTiff(
  path: string,
  plan: PairPlan,
  workDir: string,
  kept: (tileIndex: number, label: number) => boolean,
): Promise<void> {
  const { width, height } = plan.before;
  const file = await open(path, "w");
  try {
    await file.write(maskTiffHeader(width, height, MASK_ROWS_PER_STRIP));
    // Tile cores of one row of the plan share their rows; write the image band by band.
    const bands = new Map<number, Tile[]>();
    for (const tile of plan.tiles.tiles) {
      const row = bands.get(tile.core.y);
      if (row === undefined) bands.set(tile.core.y, [tile]);
      else row.push(tile);
    }
    let y = 0;
    const zeros = new Uint8Array(width * MASK_ROWS_PER_STRIP);
    const writeZeroRows = async (until: number) => {
      for (; y < until;) {
        const rows = Math.min(MASK_ROWS_PER_STRIP, until - y);
        await file.write(zeros, 0, rows * width);
        y += rows;
      }
    };
    for (const [top, tiles] of [...bands].sort((a, b) => a[0] - b[0])) {
      await writeZeroRows(top);
      const rows = tiles[0].core.height;
      const band = new Uint8Array(width * rows);
      for (const tile of tiles) {
        const buf = await readFile(tileFiles(workDir, tile.index).labels);
        const labels = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
        const { core } = tile;
        for (let r = 0; r < core.height; r++) {
          const row = r * width + core.x;
          for (let x = 0; x < core.width; x++) {
            const label = labels[r * core.width + x];
            if (label !== 0 && kept(tile.index, label)) band[row + x] = 255;
          }
        }
      }
      await file.write(band);
      y += rows;
    }
    await writeZeroRows(height);
  } finally {
    await file.close();
  }
}

/** The header and IFD of writeMaskTiff's file; the pixel rows start right after it. */
function maskTiffHeader(width: number, height: number, rowsPerStrip: number): Uint8Array {
  const strips = Math.ceil(height / rowsPerStrip);
  // Ten entries in ascending tag order; two arrays (strip offsets and byte counts) follow.
  const ifdBytes = 2 + 10 * 12 + 4;
  const arrays = 8 + ifdBytes + 2; // aligned to 4
  const dataStart = strips > 1 ? arrays + 8 * strips : arrays;
  const out = new Uint8Array(dataStart);
  const view = new DataView(out.buffer);
  out[0] = out[1] = 0x49; // "II": little-endian
  view.setUint16(2, 42, true);
  view.setUint32(4, 8, true);
  view.setUint16(8, 10, true);
  const SHORT = 3;
  const LONG = 4;
  let entry = 10;
  const tag = (id: number, type: number, count: number, value: number) => {
    view.setUint16(entry, id, true);
    view.setUint16(entry + 2, type, true);
    view.setUint32(entry + 4, count, true);
    if (type === SHORT) view.setUint16(entry + 8, value, true);
    else view.setUint32(entry + 8, value, true);
    entry += 12;
  };
  tag(256, LONG, 1, width); // ImageWidth
  tag(257, LONG, 1, height); // ImageLength
  tag(258, SHORT, 1, 8); // BitsPerSample
  tag(259, SHORT, 1, 1); // Compression: none
  tag(262, SHORT, 1, 1); // PhotometricInterpretation: min-is-black
  // A single strip's offset and byte count are stored inline, as TIFF requires.
  tag(273, LONG, strips, strips > 1 ? arrays : dataStart); // StripOffsets
  tag(277, SHORT, 1, 1); // SamplesPerPixel
  tag(278, LONG, 1, rowsPerStrip); // RowsPerStrip
  tag(279, LONG, strips, strips > 1 ? arrays + 4 * strips : width * height); // StripByteCounts
  tag(284, SHORT, 1, 1); // PlanarConfiguration: chunky
  view.setUint32(entry, 0, true); // no further IFD
  if (strips > 1) {
    for (let s = 0; s < strips; s++) {
      const rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
      view.setUint32(arrays + 4 * s, dataStart + s * rowsPerStrip * width, true);
      view.setUint32(arrays + 4 * (strips + s), rows * width, true);
    }
  }
  return out;
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
