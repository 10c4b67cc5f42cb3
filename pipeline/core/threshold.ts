/**
 * Histogram-based statistics: O(n) thresholds and quantiles for change magnitudes, where a
 * full sort of millions of pixels per tile would dominate the run time.
 */

import { checkInRange, checkMinLength, checkNonNegativeInteger, checkPositiveInteger } from "./validate.js";

/** Scale factor turning a median absolute deviation into a standard deviation for normal data. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Counts `values[0..count)` into `out.length` equal bins spanning [min, max]; `out` is cleared
 * first. Bin b covers [min + b*w, min + (b+1)*w) with w = (max-min)/bins; max itself and values
 * above it land in the last bin, values below min in the first. NaN is skipped; ±Infinity is
 * clamped like any out-of-range value. When min === max every value <= min goes to the first
 * bin and every value above it to the last.
 */
export function histogram(
  values: Float32Array,
  count: number,
  min: number,
  max: number,
  out: Uint32Array,
): void {
  checkNonNegativeInteger("count", count);
  checkMinLength("values", values.length, count);
  checkPositiveInteger("bins", out.length);
  checkRange(min, max);
  const bins = out.length;
  const last = bins - 1;
  out.fill(0);
  if (max === min) {
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v !== v) continue;
      out[v > max ? last : 0]++;
    }
    return;
  }
  const scale = bins / (max - min);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v !== v) continue;
    const t = (v - min) * scale;
    // Comparing before flooring keeps ±Infinity out of the integer conversion.
    out[t <= 0 ? 0 : t >= last ? last : Math.floor(t)]++;
  }
}

/**
 * Otsu's threshold (Otsu 1979, "A threshold selection method from gray-level histograms"):
 * the split maximising the between-class variance w0*w1*(mu0-mu1)^2 of a histogram made by
 * `histogram(values, count, min, max, hist)`. Returns, in data units, the upper edge of the
 * last bin of the lower class, min + (k+1)*(max-min)/bins: values >= it form the upper
 * class (exact at bin resolution). When empty bins separate the classes every split in the gap ties; the middle of the
 * gap is returned. A histogram with fewer than two non-empty bins (empty, or all values
 * equal) has no split and returns max.
 */
export function otsuThreshold(hist: Uint32Array, min: number, max: number): number {
  checkRange(min, max);
  const bins = hist.length;
  let total = 0;
  let weightedTotal = 0;
  for (let b = 0; b < bins; b++) {
    total += hist[b];
    weightedTotal += b * hist[b];
  }
  let bestFirst = -1;
  let bestLast = -1;
  let best = -1;
  let w0 = 0;
  let weighted0 = 0;
  for (let k = 0; k < bins - 1; k++) {
    w0 += hist[k];
    weighted0 += k * hist[k];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const diff = weighted0 / w0 - (weightedTotal - weighted0) / w1;
    const between = w0 * w1 * diff * diff;
    if (between > best) {
      best = between;
      bestFirst = k;
      bestLast = k;
    } else if (between === best && bestLast === k - 1) {
      // Identical sums mean only empty bins were crossed: extend the tied gap.
      bestLast = k;
    }
  }
  if (bestFirst < 0) return max;
  const binWidth = (max - min) / bins;
  return min + ((bestFirst + bestLast) / 2 + 1) * binWidth;
}

/**
 * The q-quantile (0 <= q <= 1) of the values counted in `hist` over [min, max], interpolating
 * linearly inside the bin where the cumulative count reaches q*total, so the error is at most
 * one bin width (max-min)/bins. q = 0 gives the lower edge of the first non-empty bin, q = 1
 * the upper edge of the last. An empty histogram returns NaN.
 */
export function quantileFromHistogram(hist: Uint32Array, min: number, max: number, q: number): number {
  checkRange(min, max);
  checkInRange("q", q, 0, 1);
  const bins = hist.length;
  let total = 0;
  for (let b = 0; b < bins; b++) total += hist[b];
  if (total === 0) return NaN;
  const target = q * total;
  const binWidth = (max - min) / bins;
  let cumulative = 0;
  for (let b = 0; b < bins; b++) {
    const h = hist[b];
    if (h > 0 && cumulative + h >= target) {
      return min + (b + (target - cumulative) / h) * binWidth;
    }
    cumulative += h;
  }
  return max;
}

export interface RobustStats {
  /** Median of the non-NaN values; NaN when there are none. */
  median: number;
  /** Median absolute deviation from the median (unscaled: multiply by MAD_TO_SIGMA for a sigma). */
  mad: number;
}

/**
 * Approximate median and MAD of `values[0..count)` in O(n): a histogram over the finite range
 * for the median, then one over [0, largest deviation] for the MAD. `hist` is scratch whose
 * length sets the bin count (default: 4096 bins allocated per call); each statistic is within
 * one bin width of the exact value, i.e. (range)/bins. NaN values are skipped; ±Infinity
 * counts as an extreme rank without stretching the bins. No finite values: both NaN.
 */
export function robustStats(values: Float32Array, count: number, hist?: Uint32Array): RobustStats {
  checkNonNegativeInteger("count", count);
  checkMinLength("values", values.length, count);
  const bins = hist ?? new Uint32Array(4096);
  checkPositiveInteger("bins", bins.length);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    // v - v is NaN for NaN and ±Infinity, so only finite values set the range.
    if (v - v === 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) return { median: NaN, mad: NaN };
  histogram(values, count, min, max, bins);
  const median = quantileFromHistogram(bins, min, max, 0.5);
  const spread = Math.max(max - median, median - min);
  bins.fill(0);
  const last = bins.length - 1;
  const scale = spread > 0 ? bins.length / spread : 0;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v !== v) continue;
    const t = Math.abs(v - median) * scale;
    // !(t < last) also catches Infinity*0 = NaN when all finite values are equal.
    bins[!(t < last) ? last : Math.floor(t)]++;
  }
  return { median, mad: quantileFromHistogram(bins, 0, spread, 0.5) };
}

function checkRange(min: number, max: number): void {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new RangeError(`Expected finite min <= max but received min ${min} and max ${max}`);
  }
}
