/**
 * Gradient-boosted decision trees for binary classification (logistic loss), trained on
 * quantile-binned features (histogram split finding, as in LightGBM/XGBoost "hist").
 * Pure and synchronous: typed arrays in, a plain-JSON forest out; prediction is a few
 * hundred comparisons per pixel.
 */
import { mulberry32 } from "../core/random.js";

/** A forest in flat arrays: node k is a leaf when feature[k] < 0; otherwise x[feature] <= threshold goes left. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface Forest {
  featureCount: number;
  /** Log-odds every prediction starts from (the training set's base rate). */
  bias: number;
  trees: Tree[];
}

export interface TrainOptions {
  /** @defaultValue 80 */
  trees?: number;
  /** @defaultValue 5 */
  maxDepth?: number;
  /** @defaultValue 0.1 */
  learningRate?: number;
  /** Quantile bins per feature (at most 255). @defaultValue 64 */
  bins?: number;
  /** Smallest total sample weight a leaf may hold. @defaultValue 20 */
  minLeafWeight?: number;
  /** L2 regularisation of leaf values. @defaultValue 1 */
  lambda?: number;
  /** Share of rows each tree sees. @defaultValue 0.8 */
  subsample?: number;
  /** Seed of the row subsampling. @defaultValue 1 */
  seed?: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Bin edges per feature from quantiles of the finite values: bin(x) = number of edges < x. */
function binEdges(x: Float32Array, rows: number, featureCount: number, bins: number): Float32Array[] {
  const edges: Float32Array[] = [];
  const column = new Float32Array(rows);
  for (let f = 0; f < featureCount; f++) {
    let m = 0;
    for (let i = 0; i < rows; i++) {
      const v = x[i * featureCount + f];
      if (v === v) column[m++] = v;
    }
    const sorted = column.subarray(0, m).slice().sort();
    const out: number[] = [];
    for (let k = 1; k < bins; k++) {
      const v = sorted[Math.min(m - 1, Math.floor((k * m) / bins))];
      if (m > 0 && (out.length === 0 || v > out[out.length - 1])) out.push(v);
    }
    // The top quantile is not an edge: every value above the last edge falls in the last bin.
    if (out.length > 0 && out[out.length - 1] >= sorted[m - 1]) out.pop();
    edges.push(Float32Array.from(out));
  }
  return edges;
}

function binOf(edges: Float32Array, v: number): number {
  // NaN compares false everywhere, so it lands in the top bin and goes right, as in predict.
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return v === v ? lo : edges.length;
}

/**
 * Trains a forest. `x` is row-major (rows x featureCount), `y` holds 0/1 labels, `weight`
 * optional per-row weights (e.g. to balance classes).
 */
export function trainForest(
  x: Float32Array,
  y: Uint8Array,
  featureCount: number,
  weight: Float32Array | null,
  options: TrainOptions = {},
): Forest {
  const rows = y.length;
  if (x.length !== rows * featureCount) {
    throw new RangeError(`Expected x of length ${rows * featureCount} but received ${x.length}`);
  }
  const nTrees = options.trees ?? 80;
  const maxDepth = options.maxDepth ?? 5;
  const lr = options.learningRate ?? 0.1;
  const nBins = Math.min(255, options.bins ?? 64);
  const minLeaf = options.minLeafWeight ?? 20;
  const lambda = options.lambda ?? 1;
  const subsample = options.subsample ?? 0.8;
  const rand = mulberry32(options.seed ?? 1);
  const w = weight ?? new Float32Array(rows).fill(1);

  const edges = binEdges(x, rows, featureCount, nBins);
  const binned = new Uint8Array(rows * featureCount);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < featureCount; f++)
      binned[i * featureCount + f] = binOf(edges[f], x[i * featureCount + f]);
  }

  let wPos = 0;
  let wAll = 0;
  for (let i = 0; i < rows; i++) {
    wAll += w[i];
    if (y[i]) wPos += w[i];
  }
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, wPos / Math.max(wAll, 1e-12)));
  const bias = Math.log(rate / (1 - rate));
  const margin = new Float64Array(rows).fill(bias);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const histG = new Float64Array(featureCount * 256);
  const histH = new Float64Array(featureCount * 256);
  const trees: Tree[] = [];

  for (let t = 0; t < nTrees; t++) {
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(margin[i]);
      grad[i] = (p - y[i]) * w[i];
      hess[i] = Math.max(p * (1 - p), 1e-6) * w[i];
    }
    const sample: number[] = [];
    for (let i = 0; i < rows; i++) if (rand() < subsample) sample.push(i);
    const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const grow = (idx: Int32Array, depth: number): number => {
      const node = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      let G = 0;
      let H = 0;
      for (let k = 0; k < idx.length; k++) {
        G += grad[idx[k]];
        H += hess[idx[k]];
      }
      tree.value[node] = (-G / (H + lambda)) * lr;
      if (depth >= maxDepth || H < 2 * minLeaf) return node;
      histG.fill(0);
      histH.fill(0);
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k];
        const g = grad[i];
        const h = hess[i];
        const base = i * featureCount;
        for (let f = 0; f < featureCount; f++) {
          const b = f * 256 + binned[base + f];
          histG[b] += g;
          histH[b] += h;
        }
      }
      const parentScore = (G * G) / (H + lambda);
      let bestGain = 1e-9;
      let bestF = -1;
      let bestBin = -1;
      for (let f = 0; f < featureCount; f++) {
        let gl = 0;
        let hl = 0;
        const last = edges[f].length;
        for (let b = 0; b < last; b++) {
          gl += histG[f * 256 + b];
          hl += histH[f * 256 + b];
          const hr = H - hl;
          if (hl < minLeaf || hr < minLeaf) continue;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestF = f;
            bestBin = b;
          }
        }
      }
      if (bestF < 0) return node;
      let nLeft = 0;
      for (let k = 0; k < idx.length; k++) if (binned[idx[k] * featureCount + bestF] <= bestBin) nLeft++;
      const leftIdx = new Int32Array(nLeft);
      const rightIdx = new Int32Array(idx.length - nLeft);
      let a = 0;
      let c = 0;
      for (let k = 0; k < idx.length; k++) {
        if (binned[idx[k] * featureCount + bestF] <= bestBin) leftIdx[a++] = idx[k];
        else rightIdx[c++] = idx[k];
      }
      tree.feature[node] = bestF;
      tree.threshold[node] = edges[bestF][bestBin];
      tree.left[node] = grow(leftIdx, depth + 1);
      tree.right[node] = grow(rightIdx, depth + 1);
      return node;
    };
    grow(Int32Array.from(sample), 0);
    trees.push(tree);
    for (let i = 0; i < rows; i++) margin[i] += predictTree(tree, x, i * featureCount);
  }
  return { featureCount, bias, trees };
}

function predictTree(tree: Tree, x: Float32Array, base: number): number {
  let k = 0;
  while (tree.feature[k] >= 0)
    k = x[base + tree.feature[k]] <= tree.threshold[k] ? tree.left[k] : tree.right[k];
  return tree.value[k];
}

/**
 * Probability of change for each of `rows` feature rows (row-major, forest.featureCount
 * wide) into `out`. A row whose first feature is NaN (no data) gets NaN.
 */
export function predictForest(forest: Forest, x: Float32Array, rows: number, out: Float32Array): void {
  const F = forest.featureCount;
  if (x.length < rows * F) throw new RangeError(`Expected x of length ${rows * F} but received ${x.length}`);
  if (out.length < rows) throw new RangeError(`Expected out of length ${rows} but received ${out.length}`);
  for (let i = 0; i < rows; i++) {
    const base = i * F;
    if (x[base] !== x[base]) {
      out[i] = NaN;
      continue;
    }
    let m = forest.bias;
    for (const tree of forest.trees) m += predictTree(tree, x, base);
    out[i] = sigmoid(m);
  }
}
