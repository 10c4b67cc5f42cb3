/**
 * Times changewatch's core kernels, loaded from a checkout's compiled `dist/`, so one bench
 * run can measure the current tree and an earlier commit (a git worktree) side by side on
 * the same buffers. The steps and their parameters mirror bench/reference.py.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type Core = {
  normalise: typeof import("../pipeline/core/normalise.js");
  changeVector: typeof import("../pipeline/core/change-vector.js");
  indices: typeof import("../pipeline/core/indices.js");
  gradient: typeof import("../pipeline/core/gradient.js");
  filters: typeof import("../pipeline/core/filters.js");
  threshold: typeof import("../pipeline/core/threshold.js");
  morphology: typeof import("../pipeline/core/morphology.js");
  components: typeof import("../pipeline/core/components.js");
  regions: typeof import("../pipeline/core/regions.js");
};

/** The steps in the order they run (each consumes earlier outputs), as in reference.py. */
export const KERNEL_STEPS = [
  "normalise",
  "changeVector",
  "indices",
  "gradient",
  "boxMean",
  "threshold",
  "morphology",
  "components",
  "regions",
] as const;
export type KernelStep = (typeof KERNEL_STEPS)[number];

/** The steps a tile runs on every pixel between reading and region records: the "core chain". */
export const CHAIN_STEPS: readonly KernelStep[] = [
  "normalise",
  "changeVector",
  "threshold",
  "morphology",
  "components",
  "regions",
];

const GAIN = [1.05, 0.97, 1.02, 0.99];
const OFFSET = [-2, 1.5, 0.5, -1];
const HIST_BINS = 1024;

export async function loadCore(root: string): Promise<Core> {
  const load = (name: string) =>
    import(pathToFileURL(join(root, "dist", "pipeline", "core", `${name}.js`)).href);
  return {
    normalise: await load("normalise"),
    changeVector: await load("change-vector"),
    indices: await load("indices"),
    gradient: await load("gradient"),
    filters: await load("filters"),
    threshold: await load("threshold"),
    morphology: await load("morphology"),
    components: await load("components"),
    regions: await load("regions"),
  };
}

export interface KernelInput {
  width: number;
  height: number;
  bands: number;
  /** float32, pixel-interleaved, as RasterSource.readWindow returns them. */
  before: Float32Array;
  after: Float32Array;
}

/**
 * One closure per step over buffers allocated here, once: the timed calls allocate only
 * what the kernels themselves allocate.
 */
export function kernelSteps(core: Core, input: KernelInput): Array<[KernelStep, () => void]> {
  const { width: w, height: h, bands, before, after } = input;
  const n = w * h;
  const norm = {
    gain: Float64Array.from(GAIN.slice(0, bands)),
    offset: Float64Array.from(OFFSET.slice(0, bands)),
  };
  const weight = new Float32Array(bands).fill(1);
  const normed = new Float32Array(n * bands);
  const cv = new Float32Array(n);
  const bright = new Float32Array(n);
  const nd = new Float32Array(n);
  const grad = new Float32Array(n);
  const smooth = new Float32Array(n);
  const scratch = new Float32Array(n);
  const hist = new Uint32Array(HIST_BINS);
  const mask = new Uint8Array(n);
  const opened = new Uint8Array(n);
  const maskScratch = new Uint8Array(n);
  const maskTmp = new Uint8Array(n);
  const labels = new Int32Array(n);
  let count = 0;
  return [
    ["normalise", () => core.normalise.applyNormalisation(after, n, bands, norm, normed)],
    ["changeVector", () => core.changeVector.changeVectorMagnitude(before, normed, n, bands, cv, weight)],
    [
      "indices",
      () => {
        core.indices.brightness(before, n, bands, bright);
        core.indices.normalisedDifference(before, n, bands, bands - 1, 0, nd);
      },
    ],
    ["gradient", () => core.gradient.sobelMagnitude(bright, w, h, grad)],
    ["boxMean", () => core.filters.boxMean(cv, w, h, 2, smooth, scratch)],
    [
      "threshold",
      () => {
        let top = 0;
        for (let i = 0; i < n; i++) if (cv[i] > top) top = cv[i];
        core.threshold.histogram(cv, n, 0, top, hist);
        const t = core.threshold.otsuThreshold(hist, 0, top);
        for (let i = 0; i < n; i++) mask[i] = cv[i] >= t ? 1 : 0;
      },
    ],
    ["morphology", () => core.morphology.open(mask, w, h, 1, opened, maskScratch, maskTmp)],
    ["components", () => (count = core.components.labelComponents(opened, w, h, labels, 8))],
    [
      "regions",
      () => core.regions.measureRegions(labels, w, h, count, [cv], { x: 0, y: 0, width: w, height: h }, 0, 0),
    ],
  ];
}
