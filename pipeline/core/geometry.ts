/**
 * Planar geometry on flat coordinate lists [x0, y0, x1, y1, ...]: convex hulls, polygon
 * areas and minimum-area bounding rectangles, used to describe the shape of a region.
 */

export interface OrientedRect {
  /** Centre of the rectangle. */
  cx: number;
  cy: number;
  /** Length of the long side (width >= height). */
  width: number;
  /** Length of the short side. */
  height: number;
  /** Direction of the long side, atan2(dy, dx) in (-pi/2, pi/2]: 0 along +x, pi/2 along +y. */
  angleRad: number;
}

/**
 * Convex hull by Andrew's monotone chain (Andrew 1979), O(n log n). `points` is flat
 * [x0, y0, x1, y1, ...] of even length. Returns the hull vertices flat, without repeating the
 * first, starting at the smallest x (then smallest y), in the order that gives a positive
 * shoelace sum: counter-clockwise with the y axis pointing up, which appears clockwise on
 * screen in a y-down image frame. Collinear and duplicate points are dropped, so all-equal
 * input gives one point and collinear input its two end points. Points with a NaN
 * coordinate are ignored.
 */
export function convexHull(points: ArrayLike<number>): number[] {
  if (points.length % 2 !== 0) {
    throw new RangeError(`Expected points of even length but received ${points.length}`);
  }
  const order: number[] = [];
  for (let i = 0; i < points.length; i += 2) {
    if (points[i] === points[i] && points[i + 1] === points[i + 1]) order.push(i);
  }
  order.sort((p, q) => points[p] - points[q] || points[p + 1] - points[q + 1]);
  const n = order.length;
  if (n === 0) return [];
  if (n === 1) return [points[order[0]], points[order[0] + 1]];
  // Two passes (lower chain left to right, upper chain back) over the sorted points.
  const hull = new Int32Array(2 * n + 1);
  let size = 0;
  for (let pass = 0; pass < 2; pass++) {
    const start = size;
    for (let j = 0; j < n; j++) {
      const p = order[pass === 0 ? j : n - 1 - j];
      while (size >= start + 2 && cross(points, hull[size - 2], hull[size - 1], p) <= 0) size--;
      hull[size++] = p;
    }
    // The chain's last point starts the other chain.
    size--;
  }
  const result: number[] = [];
  for (let j = 0; j < size; j++) result.push(points[hull[j]], points[hull[j] + 1]);
  if (result.length === 4 && result[0] === result[2] && result[1] === result[3]) result.length = 2;
  return result;
}

/**
 * Absolute area of a simple polygon by the shoelace formula. `flat` is [x0, y0, ...], closed
 * implicitly (the first vertex is not repeated). Fewer than three vertices give 0; a NaN
 * coordinate gives NaN.
 */
export function polygonArea(flat: ArrayLike<number>): number {
  const n = flat.length >> 1;
  if (n < 3) return 0;
  let twice = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    twice += flat[2 * j] * flat[2 * i + 1] - flat[2 * i] * flat[2 * j + 1];
  }
  return Math.abs(twice) / 2;
}

/**
 * Minimum-area enclosing rectangle of a convex polygon (as returned by convexHull): one side
 * of the optimum lies on a hull edge (Freeman & Shapira 1975), so every edge direction is
 * tried, O(n^2) for n vertices. The long side is reported as width. One vertex gives a
 * zero-size rectangle at it with angle 0, two the segment between them; an empty hull gives
 * NaN centre and zero size.
 */
export function minAreaRect(hull: ArrayLike<number>): OrientedRect {
  const n = hull.length >> 1;
  if (n === 0) return { cx: NaN, cy: NaN, width: 0, height: 0, angleRad: 0 };
  if (n === 1) return { cx: hull[0], cy: hull[1], width: 0, height: 0, angleRad: 0 };
  let bestArea = Infinity;
  let best: OrientedRect = { cx: hull[0], cy: hull[1], width: 0, height: 0, angleRad: 0 };
  for (let e = 0; e < n; e++) {
    const f = e + 1 < n ? e + 1 : 0;
    const ex = hull[2 * f] - hull[2 * e];
    const ey = hull[2 * f + 1] - hull[2 * e + 1];
    const length = Math.hypot(ex, ey);
    if (length === 0) continue;
    const ux = ex / length;
    const uy = ey / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (let k = 0; k < n; k++) {
      const x = hull[2 * k];
      const y = hull[2 * k + 1];
      const u = x * ux + y * uy;
      const v = y * ux - x * uy;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const along = maxU - minU;
    const across = maxV - minV;
    const area = along * across;
    if (area < bestArea) {
      bestArea = area;
      const mu = (minU + maxU) / 2;
      const mv = (minV + maxV) / 2;
      // Back from (u, v) to (x, y): x = u*ux - v*uy, y = u*uy + v*ux.
      const cx = mu * ux - mv * uy;
      const cy = mu * uy + mv * ux;
      const long = along >= across;
      best = {
        cx,
        cy,
        width: long ? along : across,
        height: long ? across : along,
        angleRad: axisAngle(long ? ux : -uy, long ? uy : ux),
      };
    }
  }
  return best;
}

/** Angle of the undirected axis (dx, dy), folded into (-pi/2, pi/2]. */
function axisAngle(dx: number, dy: number): number {
  const a = Math.atan2(dy, dx);
  if (a > Math.PI / 2) return a - Math.PI;
  if (a <= -Math.PI / 2) return a + Math.PI;
  return a;
}

/** z of (b - a) x (c - a) for points at flat offsets a, b, c: > 0 when a, b, c turn left (y up). */
function cross(points: ArrayLike<number>, a: number, b: number, c: number): number {
  return (
    (points[b] - points[a]) * (points[c + 1] - points[a + 1]) -
    (points[b + 1] - points[a + 1]) * (points[c] - points[a])
  );
}
