/**
 * Plans a pair: opens both headers, computes the common grid and the residual shift,
 * samples full-resolution blocks spread over the overlap to fix the pair-wide statistics,
 * and cuts the overlap into tiles. Every tile of every runner then applies the same numbers,
 * so results do not change at seams or between runners.
 */
import { resolve } from "node:path";
import type { Settings } from "../../config/schema.js";
import { chooseProfile } from "../../config/load.js";
import { MIN_OVERLAP_PX, pairGeometry, type PairGeometry } from "../align/grid.js";
import { estimateShift } from "../align/co-registration.js";
import { readAligned } from "../align/read-aligned.js";
import { brightness } from "../core/indices.js";
import { applyNormalisation, fitNormalisation } from "../core/normalise.js";
import {
  histogram,
  MAD_TO_SIGMA,
  otsuThreshold,
  quantileFromHistogram,
  robustStats,
} from "../core/threshold.js";
import { inferBandRoles } from "../detect/bands.js";
import {
  combineScore,
  computeRawEvidence,
  EvidenceWorkspace,
  type EvidenceUnits,
} from "../detect/evidence.js";
import { ChangewatchError, InputError } from "../errors.js";
import { FEATURE_REACH_PX } from "../learn/features.js";
import { FeatureSample } from "../learn/feature-ranks.js";
import { loadModel, modelThreshold } from "../learn/model-file.js";
import { openRaster } from "../raster/open-raster.js";
import type { PixelWindow, RasterSource } from "../raster/types.js";
import { planTiles, requiredHaloPx } from "../tiling/tile-plan.js";
import type { GsdSource, PairPlan, PairStats } from "./pair-plan.js";

/** Shadows are the darkest tenth of a scene (water aside, which the water cue covers). */
const SHADOW_QUANTILE = 0.1;
/** RGB water (no NIR band to tell it) must also be in the darker 40% of the scene. */
const DARK_QUANTILE = 0.4;

/** Share of co-registration patches that must agree before their shift is applied. */
export const MIN_SHIFT_CONFIDENCE = 0.34;

export interface PlanOptions {
  settings: Settings;
  /** Force a named detection profile instead of choosing one by pixel size. */
  profileName?: string;
  /** Pixel size in metres for images without geo-reference. */
  gsdM?: number;
  /** Only this window of the before image is compared (a watched site's area of interest). */
  windowPx?: PixelWindow;
  /** A learned re-scorer (changewatch train) to score pixels instead of the weighted evidence. */
  modelPath?: string;
  /** Fit the learned features' rank tables even without a model (training needs them). */
  learnedFeatures?: boolean;
  signal?: AbortSignal;
}

export interface OpenPair {
  before: RasterSource;
  after: RasterSource;
}

export async function openPair(
  beforePath: string,
  afterPath: string,
  settings: Pick<Settings, "maxPixels" | "maxBands">,
  signal?: AbortSignal,
): Promise<OpenPair> {
  const limits = { maxPixels: settings.maxPixels, maxBands: settings.maxBands, signal };
  const before = await openRaster(beforePath, limits);
  try {
    const after = await openRaster(afterPath, limits);
    return { before, after };
  } catch (err) {
    await before.close();
    throw err;
  }
}

export async function closePair(pair: OpenPair): Promise<void> {
  await Promise.all([pair.before.close(), pair.after.close()]);
}

/** Blocks spread evenly over the area; one block covering everything when the area is small. */
export function sampleBlocks(area: PixelWindow, count: number, sizePx: number): PixelWindow[] {
  if (area.width * area.height <= count * sizePx * sizePx) return [area];
  const perSide = Math.ceil(Math.sqrt(count));
  const bw = Math.min(sizePx, area.width);
  const bh = Math.min(sizePx, area.height);
  const blocks: PixelWindow[] = [];
  for (let j = 0; j < perSide; j++) {
    for (let i = 0; i < perSide; i++) {
      const x = area.x + Math.round(((area.width - bw) * (i + 0.5)) / perSide);
      const y = area.y + Math.round(((area.height - bh) * (j + 0.5)) / perSide);
      blocks.push({ x, y, width: bw, height: bh });
    }
  }
  return blocks;
}

function resolveGsd(
  geometryGsd: number | null,
  optionGsd: number | undefined,
): { gsdM: number; gsdSource: GsdSource } {
  if (geometryGsd !== null && geometryGsd > 0) return { gsdM: geometryGsd, gsdSource: "georeference" };
  if (optionGsd !== undefined) return { gsdM: optionGsd, gsdSource: "option" };
  return { gsdM: 1, gsdSource: "assumed" };
}

/** Robust sigma of finite values: MAD scaled to a normal sigma, never below `floor`. */
function robustSigma(values: Float32Array, count: number, hist: Uint32Array, floor: number): number {
  const { mad } = robustStats(values, count, hist);
  return Number.isFinite(mad) && mad * MAD_TO_SIGMA > floor ? mad * MAD_TO_SIGMA : floor;
}

function countFinite(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) n++;
  return n;
}

export async function planPair(pair: OpenPair, options: PlanOptions): Promise<PairPlan> {
  const { settings, signal } = options;
  const before = pair.before.info;
  const after = pair.after.info;
  if (before.bands !== after.bands) {
    throw new InputError(
      "E_BANDS_MISMATCH",
      after.path,
      `has ${after.bands} band(s) but ${before.path} has ${before.bands}: the two images must have the same bands`,
    );
  }
  const bands = before.bands;
  const geometry = withinWindow(pairGeometry(before, after), options.windowPx, before.path);
  const { gsdM, gsdSource } = resolveGsd(geometry.gsdM, options.gsdM);
  const profile = chooseProfile(settings, gsdM, options.profileName);
  const roles = inferBandRoles(bands);
  const estimate = await estimateShift(pair.before, pair.after, geometry, {
    patchSizePx: settings.shiftPatchSizePx,
    patches: settings.shiftPatches,
    signal,
  });
  // A shift that only a minority of patches agree on is more likely a texture artefact
  // than misregistration; correcting by it would add change instead of removing it.
  const applied = estimate.confidence >= MIN_SHIFT_CONFIDENCE;
  const shift = { ...estimate, applied, dx: applied ? estimate.dx : 0, dy: applied ? estimate.dy : 0 };
  const shiftEstimate = { dx: estimate.dx, dy: estimate.dy };

  const blocks = sampleBlocks(geometry.overlap, settings.sampleBlocks, settings.sampleBlockSizePx);
  const beforeBlocks: Float32Array[] = [];
  const afterBlocks: Float32Array[] = [];
  for (const block of blocks) {
    beforeBlocks.push(await pair.before.readWindow(block, { signal }));
    afterBlocks.push(await readAligned(pair.after, geometry, shift, block, signal));
  }
  const sampledPx = blocks.reduce((n, b) => n + b.width * b.height, 0);
  const beforeAll = concat(beforeBlocks, sampledPx * bands);
  const afterAll = concat(afterBlocks, sampledPx * bands);
  if (countFinite(beforeAll) === 0) {
    throw new InputError(
      "E_INPUT_NODATA",
      before.path,
      "has no valid pixels where the two images overlap (all nodata)",
    );
  }
  if (countFinite(afterAll) === 0) {
    throw new InputError(
      "E_INPUT_NODATA",
      after.path,
      "has no valid pixels where the two images overlap (all nodata)",
    );
  }

  const displayBands =
    roles.red !== undefined && roles.green !== undefined && roles.blue !== undefined
      ? [roles.red, roles.green, roles.blue]
      : [0];
  const hist = new Uint32Array(65536);
  const { stretchLow, stretchHigh } = displayStretch(afterAll, sampledPx, bands, displayBands, hist);

  const norm = fitNormalisation(beforeAll, afterAll, sampledPx, bands);
  applyNormalisation(afterAll, sampledPx, bands, norm, afterAll);
  const bandWeight = new Float32Array(bands);
  const diff = new Float32Array(sampledPx);
  for (let b = 0; b < bands; b++) {
    for (let i = 0; i < sampledPx; i++) diff[i] = afterAll[i * bands + b] - beforeAll[i * bands + b];
    bandWeight[b] = 1 / robustSigma(diff, sampledPx, hist, 1e-6);
  }

  const sampleBrightness = new Float32Array(sampledPx);
  brightness(beforeAll, sampledPx, bands, sampleBrightness);
  const [shadowLevel, darkLevel] = quantiles(
    sampleBrightness,
    sampledPx,
    [SHADOW_QUANTILE, DARK_QUANTILE],
    hist,
  );
  const levels = { shadow: shadowLevel, dark: darkLevel };

  // Split the pooled sample back into blocks (gradients need each block's own geometry).
  const ws = new EvidenceWorkspace(Math.max(...blocks.map((b) => b.width * b.height)));
  const pooled = {
    spectral: new Float32Array(sampledPx),
    brightness: new Float32Array(sampledPx),
    structure: new Float32Array(sampledPx),
    vegetation: new Float32Array(sampledPx),
  };
  const forEachBlock = (
    fn: (block: PixelWindow, at: number, before: Float32Array, after: Float32Array) => void,
  ) => {
    let at = 0;
    for (const block of blocks) {
      const n = block.width * block.height;
      const blockBefore = beforeAll.subarray(at * bands, (at + n) * bands);
      const blockAfter = afterAll.subarray(at * bands, (at + n) * bands);
      computeRawEvidence(
        blockBefore,
        blockAfter,
        block.width,
        block.height,
        bands,
        roles,
        bandWeight,
        levels,
        ws,
      );
      fn(block, at, blockBefore, blockAfter);
      at += n;
    }
  };
  forEachBlock((block, at) => {
    const n = block.width * block.height;
    pooled.spectral.set(ws.spectral.subarray(0, n), at);
    pooled.brightness.set(ws.brightness.subarray(0, n), at);
    pooled.structure.set(ws.structure.subarray(0, n), at);
    for (let i = 0; i < n; i++) pooled.vegetation[at + i] = ws.vegAfter[i] - ws.vegBefore[i];
  });
  const spectralMedian = robustStats(pooled.spectral, sampledPx, hist).median;
  const units: EvidenceUnits = {
    spectral: Number.isFinite(spectralMedian) && spectralMedian > 1e-6 ? spectralMedian : 1,
    brightness: robustSigma(pooled.brightness, sampledPx, hist, 1e-6),
    structure: robustSigma(pooled.structure, sampledPx, hist, 1e-6),
    vegetation: robustSigma(pooled.vegetation, sampledPx, hist, 1e-3),
  };

  const model = options.modelPath ? await loadModel(options.modelPath) : null;
  const ranks = model || options.learnedFeatures ? new FeatureSample(sampledPx) : null;
  const scores = pooled.spectral;
  forEachBlock((block, at, blockBefore, blockAfter) => {
    combineScore(block.width, block.height, units, profile.weights, profile.smoothingRadiusPx, ws);
    scores.set(ws.score.subarray(0, block.width * block.height), at);
    ranks?.add(ws, blockBefore, blockAfter, bands, displayBands, block.width, block.height);
  });
  const otsu = scoreThreshold(scores, sampledPx, hist);
  const evidenceThreshold = Math.min(profile.thresholdCeiling, Math.max(profile.thresholdFloor, otsu));
  const threshold = model ? modelThreshold(model, profile.name) : evidenceThreshold;

  const stats: PairStats = {
    gain: Array.from(norm.gain),
    offset: Array.from(norm.offset),
    bandWeight: Array.from(bandWeight),
    units,
    levels,
    otsuThreshold: otsu,
    evidenceThreshold,
    threshold,
    stretchLow,
    stretchHigh,
    displayBands,
    sampledPx,
    featureRanks: ranks ? ranks.fit() : null,
  };
  const haloPx =
    requiredHaloPx(profile.smoothingRadiusPx, profile.openingRadiusPx, profile.closingRadiusPx) +
    (ranks ? FEATURE_REACH_PX : 0);
  const longest = Math.max(geometry.overlap.width, geometry.overlap.height);
  return {
    version: 1,
    before,
    after,
    geometry,
    shift,
    shiftEstimate,
    bands,
    roles,
    gsdM,
    gsdSource,
    profile,
    stats,
    tiles: planTiles(geometry.overlap, settings.tileSizePx, haloPx),
    model:
      model && options.modelPath ? { path: resolve(options.modelPath), createdAt: model.createdAt } : null,
    quicklookStepPx: Math.max(1, Math.ceil(longest / settings.quicklookMaxPx)),
  };
}

/**
 * Narrows the pair's overlap to `window`: every later step (shift patches, sample blocks,
 * tiles, quicklook) works on the overlap, so the run then sees only the window.
 */
function withinWindow(geometry: PairGeometry, window: PixelWindow | undefined, path: string): PairGeometry {
  if (window === undefined) return geometry;
  const o = geometry.overlap;
  const x = Math.max(o.x, window.x);
  const y = Math.max(o.y, window.y);
  const width = Math.min(o.x + o.width, window.x + window.width) - x;
  const height = Math.min(o.y + o.height, window.y + window.height) - y;
  if (width < MIN_OVERLAP_PX || height < MIN_OVERLAP_PX) {
    throw new InputError(
      "E_NO_OVERLAP",
      path,
      `the window ${window.width}x${window.height}+${window.x}+${window.y} leaves less than ${MIN_OVERLAP_PX} px of the part both images cover`,
    );
  }
  return { ...geometry, overlap: { x, y, width, height } };
}

function concat(parts: Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Otsu on the score histogram over [0, 99.9th percentile], so rare extremes do not flatten the bins. */
function scoreThreshold(scores: Float32Array, count: number, hist: Uint32Array): number {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i] > max && scores[i] !== Infinity) max = scores[i];
  if (max <= 0) return Infinity;
  histogram(scores, count, 0, max, hist);
  const top = quantileFromHistogram(hist, 0, max, 0.999);
  const bins = new Uint32Array(1024);
  histogram(scores, count, 0, top, bins);
  return otsuThreshold(bins, 0, top);
}

function displayStretch(
  data: Float32Array,
  pixels: number,
  bands: number,
  displayBands: number[],
  hist: Uint32Array,
): { stretchLow: number[]; stretchHigh: number[] } {
  const values = new Float32Array(pixels);
  const stretchLow: number[] = [];
  const stretchHigh: number[] = [];
  for (const b of displayBands) {
    for (let i = 0; i < pixels; i++) values[i] = data[i * bands + b];
    const [low, high] = quantiles(values, pixels, [0.02, 0.98], hist);
    if (Number.isNaN(low)) throw new ChangewatchError("E_INPUT_NODATA", "no valid pixels to stretch");
    stretchLow.push(low);
    stretchHigh.push(high);
  }
  return { stretchLow, stretchHigh };
}

/** Quantiles `qs` of the finite values (histogram over their range); NaN each when there are none. */
function quantiles(values: Float32Array, count: number, qs: readonly number[], hist: Uint32Array): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return qs.map(() => NaN);
  histogram(values, count, min, max, hist);
  return qs.map((q) => quantileFromHistogram(hist, min, max, q));
}
