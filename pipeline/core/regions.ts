/**
 * Region measurement that survives tiling: every statistic is a sum, a min/max or a convex
 * hull, so a building cut by tile borders is measured per tile and merged exactly.
 */

import { convexHull, minAreaRect } from "./geometry.js";
import { checkImage, checkLength, checkNonNegativeInteger } from "./validate.js";

export interface RegionMoments {
  /** Pixel count. */
  area: number;
  /** Bounding box, inclusive pixel indices in global coords; 0, 0, -1, -1 when area is 0. */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Sums over the region's pixel centres (x + 0.5, y + 0.5), global coords. */
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
  /** Per evidence channel: sum over the region's pixels, NaN values skipped. */
  evidence: number[];
  /** Convex hull of the region's pixel corners, flat [x0, y0, ...] as from convexHull, global coords. */
  hull: number[];
}

export interface RegionShape {
  /** Mean pixel-centre position, global coords; NaN for an empty region. */
  centroidX: number;
  centroidY: number;
  /** Direction of the long side of the minimum-area rectangle, radians in (-pi/2, pi/2], y down. */
  orientationRad: number;
  /** lengthPx / widthPx, >= 1; NaN for an empty region. */
  elongation: number;
  /** area / (lengthPx * widthPx) clamped to [0, 1]: ~1 for a filled rectangle at any angle. */
  rectangularity: number;
  /** Long and short side of the minimum-area rectangle around the pixel corners. */
  lengthPx: number;
  widthPx: number;
}

/** A sub-rectangle of the label raster, in raster pixel coordinates. */
export interface MeasureWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Measures labels 1..count over the pixels of `labels` inside `window` (a tile's core, so
 * overlapping tiles do not count a pixel twice); other label values are ignored. `labels`
 * and every `evidence` channel are row-major, length width*height. Global coords are raster
 * coords + (offsetX, offsetY). Returns one entry per label at index label-1; a label with
 * no pixel in the window has area 0, zero sums and an empty hull. NaN evidence values are
 * left out of the sums. The hull comes from each region's leftmost and rightmost pixel
 * per row (their four corners), which contain all its corners, so the pass stays O(pixels).
 */
export function measureRegions(
  labels: Int32Array,
  width: number,
  height: number,
  count: number,
  evidence: readonly Float32Array[],
  window: MeasureWindow,
  offsetX: number,
  offsetY: number,
): RegionMoments[] {
  checkImage("labels", labels, width, height);
  checkNonNegativeInteger("count", count);
  for (let e = 0; e < evidence.length; e++) checkImage(`evidence[${e}]`, evidence[e], width, height);
  checkWindow(window, width, height);
  if (!Number.isInteger(offsetX) || !Number.isInteger(offsetY)) {
    throw new RangeError(`Expected integer offsets but received ${offsetX}, ${offsetY}`);
  }
  const channels = evidence.length;
  const n = count + 1;
  const area = new Float64Array(n);
  // Per label: minX, minY, maxX, maxY (raster coords).
  const box = new Int32Array(4 * n);
  // Per label: sumX, sumY, sumXX, sumYY, sumXY (raster coords).
  const sums = new Float64Array(5 * n);
  const evidenceSums = new Float64Array(channels * n);
  // The row each label was last seen in, and the segment it opened there.
  const rowSeen = new Int32Array(n).fill(-1);
  const openSegment = new Int32Array(n);
  const segmentsOf = new Int32Array(n);
  // One segment [label, y, leftmost x, rightmost x] per (label, row) pair: at most one per
  // pixel and at most count per row.
  const maxSegments = Math.min(window.width * window.height, count * window.height);
  const segments = new Int32Array(4 * maxSegments);
  let segmentCount = 0;
  const xEnd = window.x + window.width;
  const yEnd = window.y + window.height;
  for (let y = window.y; y < yEnd; y++) {
    const cy = y + 0.5;
    for (let x = window.x; x < xEnd; x++) {
      const i = y * width + x;
      const l = labels[i];
      if (!(l >= 1 && l <= count)) continue;
      const cx = x + 0.5;
      if (area[l] === 0) {
        box[4 * l] = x;
        box[4 * l + 1] = y;
        box[4 * l + 2] = x;
      }
      area[l]++;
      sums[5 * l] += cx;
      sums[5 * l + 1] += cy;
      sums[5 * l + 2] += cx * cx;
      sums[5 * l + 3] += cy * cy;
      sums[5 * l + 4] += cx * cy;
      for (let e = 0; e < channels; e++) {
        const v = evidence[e][i];
        if (v === v) evidenceSums[channels * l + e] += v;
      }
      if (x < box[4 * l]) box[4 * l] = x;
      if (x > box[4 * l + 2]) box[4 * l + 2] = x;
      box[4 * l + 3] = y;
      if (rowSeen[l] !== y) {
        rowSeen[l] = y;
        openSegment[l] = segmentCount;
        segmentsOf[l]++;
        segments[4 * segmentCount] = l;
        segments[4 * segmentCount + 1] = y;
        segments[4 * segmentCount + 2] = x;
        segmentCount++;
      }
      // Scanning left to right, the latest pixel is the rightmost so far.
      segments[4 * openSegment[l] + 3] = x;
    }
  }
  // Four corners (8 numbers) per segment, grouped by label for one convexHull call each.
  const start = new Int32Array(n + 1);
  for (let l = 1; l < n; l++) start[l + 1] = start[l] + 8 * segmentsOf[l];
  const fill = start.slice(0, n);
  const corners = new Float64Array(start[n]);
  for (let s = 0; s < segmentCount; s++) {
    const l = segments[4 * s];
    const top = segments[4 * s + 1] + offsetY;
    const left = segments[4 * s + 2] + offsetX;
    const right = segments[4 * s + 3] + 1 + offsetX;
    let k = fill[l];
    corners[k++] = left;
    corners[k++] = top;
    corners[k++] = left;
    corners[k++] = top + 1;
    corners[k++] = right;
    corners[k++] = top;
    corners[k++] = right;
    corners[k++] = top + 1;
    fill[l] = k;
  }
  const result: RegionMoments[] = new Array<RegionMoments>(count);
  for (let l = 1; l < n; l++) {
    const evidenceOut = new Array<number>(channels);
    for (let e = 0; e < channels; e++) evidenceOut[e] = evidenceSums[channels * l + e];
    const a = area[l];
    if (a === 0) {
      result[l - 1] = emptyMoments(evidenceOut);
      continue;
    }
    // Shifting raster-coordinate sums to global ones: sum(x+o) = sumX + o*a and so on.
    const sx = sums[5 * l];
    const sy = sums[5 * l + 1];
    result[l - 1] = {
      area: a,
      minX: box[4 * l] + offsetX,
      minY: box[4 * l + 1] + offsetY,
      maxX: box[4 * l + 2] + offsetX,
      maxY: box[4 * l + 3] + offsetY,
      sumX: sx + offsetX * a,
      sumY: sy + offsetY * a,
      sumXX: sums[5 * l + 2] + 2 * offsetX * sx + offsetX * offsetX * a,
      sumYY: sums[5 * l + 3] + 2 * offsetY * sy + offsetY * offsetY * a,
      sumXY: sums[5 * l + 4] + offsetX * sy + offsetY * sx + offsetX * offsetY * a,
      evidence: evidenceOut,
      hull: convexHull(corners.subarray(start[l], start[l + 1])),
    };
  }
  return result;
}

/**
 * Combines the moments of one region measured in two disjoint windows (e.g. the cores of two
 * neighbouring tiles): counts and sums add, the bounding box spans both, the hull is the hull
 * of both hulls. An empty side (area 0) returns a copy of the other. Evidence lists must have
 * the same length. The inputs are not modified.
 */
export function mergeMoments(a: RegionMoments, b: RegionMoments): RegionMoments {
  checkLength("evidence", b.evidence.length, a.evidence.length);
  if (a.area === 0) return copyMoments(b);
  if (b.area === 0) return copyMoments(a);
  const evidence = new Array<number>(a.evidence.length);
  for (let e = 0; e < evidence.length; e++) evidence[e] = a.evidence[e] + b.evidence[e];
  return {
    area: a.area + b.area,
    minX: Math.min(a.minX, b.minX),
    minY: Math.min(a.minY, b.minY),
    maxX: Math.max(a.maxX, b.maxX),
    maxY: Math.max(a.maxY, b.maxY),
    sumX: a.sumX + b.sumX,
    sumY: a.sumY + b.sumY,
    sumXX: a.sumXX + b.sumXX,
    sumYY: a.sumYY + b.sumYY,
    sumXY: a.sumXY + b.sumXY,
    evidence,
    hull: convexHull(a.hull.concat(b.hull)),
  };
}

/**
 * Shape descriptors of a measured region. Centroid = (sumX, sumY) / area. Length, width and
 * orientation come from minAreaRect(hull) (width >= height there, reported as lengthPx >=
 * widthPx); elongation = lengthPx / widthPx; rectangularity = area / (lengthPx * widthPx)
 * clamped to [0, 1], about 1 for a filled rectangle at any angle (slightly less when rotated,
 * as the pixel staircase pokes out of the ideal rectangle) and lower for L-shapes or thin
 * diagonal lines. An empty region gives NaN centroid and elongation, zero sizes, zero
 * rectangularity and orientation 0.
 */
export function regionShape(m: RegionMoments): RegionShape {
  if (m.area === 0) {
    return {
      centroidX: NaN,
      centroidY: NaN,
      orientationRad: 0,
      elongation: NaN,
      rectangularity: 0,
      lengthPx: 0,
      widthPx: 0,
    };
  }
  const rect = minAreaRect(m.hull);
  const box = rect.width * rect.height;
  return {
    centroidX: m.sumX / m.area,
    centroidY: m.sumY / m.area,
    orientationRad: rect.angleRad,
    elongation: rect.width / rect.height,
    rectangularity: box > 0 ? Math.min(1, m.area / box) : 0,
    lengthPx: rect.width,
    widthPx: rect.height,
  };
}

function emptyMoments(evidence: number[]): RegionMoments {
  return {
    area: 0,
    minX: 0,
    minY: 0,
    maxX: -1,
    maxY: -1,
    sumX: 0,
    sumY: 0,
    sumXX: 0,
    sumYY: 0,
    sumXY: 0,
    evidence,
    hull: [],
  };
}

function copyMoments(m: RegionMoments): RegionMoments {
  return { ...m, evidence: m.evidence.slice(), hull: m.hull.slice() };
}

function checkWindow(window: MeasureWindow, width: number, height: number): void {
  const { x, y } = window;
  const inside =
    Number.isInteger(x) &&
    Number.isInteger(y) &&
    Number.isInteger(window.width) &&
    Number.isInteger(window.height) &&
    x >= 0 &&
    y >= 0 &&
    window.width >= 0 &&
    window.height >= 0 &&
    x + window.width <= width &&
    y + window.height <= height;
  if (!inside) {
    throw new RangeError(
      `Expected window inside the ${width}x${height} raster but received ${window.width}x${window.height} at ${x},${y}`,
    );
  }
}
