/**
 * Before/after chips: for each detection the same window of ground from both images — the
 * after image read ALIGNED onto the before grid with the run's shift — with a margin around
 * the structure, stretched to 8 bits, enlarged and outlined in the class colour.
 */
import { resolve } from "node:path";
import sharp from "sharp";
import { pairGeometry } from "../align/grid.js";
import { readAligned } from "../align/read-aligned.js";
import { CLASS_COLOURS } from "../export/class-colours.js";
import { openRaster } from "../raster/open-raster.js";
import type { PixelWindow, RasterSource } from "../raster/types.js";
import { afterStretch, beforeStretch, toDisplayRgb, type DisplayStretch } from "./display-stretch.js";
import type { ReportDetection, RunFolder } from "./run-folder.js";

export interface ChipPair {
  /** data: URIs of the JPEG chips. */
  before: string;
  after: string;
  /** The before-grid window both chips show. */
  window: PixelWindow;
  /** Chip size in image pixels. */
  width: number;
  height: number;
}

export interface ChipOptions {
  /**
   * Longest side of a chip image in pixels.
   * @defaultValue 240
   */
  sizePx?: number;
  signal?: AbortSignal;
}

/** Chips of every detection keyed by id, or the reason none could be made (a source image gone). */
export type ChipResult = { ok: true; chips: Map<string, ChipPair> } | { ok: false; reason: string };

/** The margin shows the structure's surroundings: half its size, at least this many pixels a side. */
const MIN_MARGIN_PX = 12;
/** Below this a chip shows too little ground to judge anything. */
const MIN_CHIP_PX = 48;
const JPEG_QUALITY = 82;

/** A square window centred on the detection: its longer side plus a margin of half of it each way. */
export function chipWindow(bboxPx: [number, number, number, number]): PixelWindow {
  const [x0, y0, x1, y1] = bboxPx;
  const longest = Math.max(x1 - x0, y1 - y0);
  const side = Math.max(MIN_CHIP_PX, Math.ceil(longest + 2 * Math.max(MIN_MARGIN_PX, longest / 2)));
  return {
    x: Math.round((x0 + x1 - side) / 2),
    y: Math.round((y0 + y1 - side) / 2),
    width: side,
    height: side,
  };
}

/**
 * Makes the chip pairs of a run's detections from its source images (paths as run.json
 * records them; relative ones are taken from the current folder, as `detect` was given them).
 */
export async function renderChips(run: RunFolder, options: ChipOptions = {}): Promise<ChipResult> {
  const { inputs, statistics, alignment } = run.record;
  let before: RasterSource | undefined;
  let after: RasterSource | undefined;
  try {
    before = await openRaster(resolvePath(inputs.before.path), { signal: options.signal });
    after = await openRaster(resolvePath(inputs.after.path), { signal: options.signal });
  } catch (err) {
    await Promise.all([before?.close(), after?.close()]);
    return { ok: false, reason: `source images cannot be read: ${(err as Error).message}` };
  }
  try {
    if (before.info.width !== inputs.before.width || before.info.height !== inputs.before.height) {
      return {
        ok: false,
        reason: `${inputs.before.path} is no longer the image this run read (its size changed)`,
      };
    }
    const geometry = pairGeometry(before.info, after.info);
    const shift = alignment.shiftPx;
    const stretches = { before: beforeStretch(statistics), after: afterStretch(statistics) };
    const sizePx = options.sizePx ?? 240;
    const chips = new Map<string, ChipPair>();
    // In raster order, so neighbouring chips reuse the source's cached decoded blocks
    // instead of inflating the same blocks again for each detection.
    const inRasterOrder = [...run.detections].sort(
      (p, q) => p.bboxPx[1] - q.bboxPx[1] || p.bboxPx[0] - q.bboxPx[0],
    );
    for (const d of inRasterOrder) {
      const window = chipWindow(d.bboxPx);
      const [b, a] = await Promise.all([
        before.readWindow(window, { signal: options.signal }),
        readAligned(after, geometry, shift, window, options.signal),
      ]);
      const bands = before.info.bands;
      const scale = sizePx / Math.max(window.width, window.height);
      const width = Math.round(window.width * scale);
      const height = Math.round(window.height * scale);
      const outline = outlineSvg(d, window, scale, width, height);
      const [beforeUri, afterUri] = await Promise.all([
        chipImage(b, bands, window, stretches.before, width, height, outline),
        chipImage(a, bands, window, stretches.after, width, height, outline),
      ]);
      chips.set(d.id, { before: beforeUri, after: afterUri, window, width, height });
    }
    return { ok: true, chips };
  } finally {
    await Promise.all([before.close(), after.close()]);
  }
}

function resolvePath(path: string): string {
  return /^https?:\/\//i.test(path) ? path : resolve(path);
}

/** The outline in chip pixels, drawn over both chips so the eye compares the same spot. */
function outlineSvg(
  d: ReportDetection,
  window: PixelWindow,
  scale: number,
  width: number,
  height: number,
): Buffer {
  const points = d.polygonPx
    .map(([x, y]) => `${((x - window.x) * scale).toFixed(1)},${((y - window.y) * scale).toFixed(1)}`)
    .join(" ");
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<polygon points="${points}" fill="none" stroke="#000" stroke-opacity="0.55" stroke-width="4"/>` +
      `<polygon points="${points}" fill="none" stroke="${CLASS_COLOURS[d.class]}" stroke-width="2"/></svg>`,
  );
}

async function chipImage(
  samples: Float32Array,
  bands: number,
  window: PixelWindow,
  stretch: DisplayStretch,
  width: number,
  height: number,
  outline: Buffer,
): Promise<string> {
  const pixels = window.width * window.height;
  const rgb = toDisplayRgb(samples, pixels, bands, stretch, new Uint8Array(pixels * 3));
  const enlarging = width >= window.width;
  const jpeg = await sharp(rgb, { raw: { width: window.width, height: window.height, channels: 3 } })
    // Enlarged pixels stay square so the analyst sees what the sensor saw, not an interpolation.
    .resize(width, height, { kernel: enlarging ? "nearest" : "lanczos3", fit: "fill" })
    .composite([{ input: outline, top: 0, left: 0 }])
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
