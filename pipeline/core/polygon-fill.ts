/**
 * Points in polygons by the even-odd rule, and polygon rasterisation built on it: which
 * pixels of a grid a polygon covers, by testing each pixel centre (x + 0.5, y + 0.5).
 */

/** Even-odd test of (x, y) against a ring of [x, y] vertices, closed or not. */
export function pointInRing(ring: readonly (readonly [number, number])[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Calls `visit(x, y)` for every pixel of a width x height grid whose centre lies inside the
 * polygon `ring` ([x, y] vertices in pixel-corner coordinates, closed or not). Pixels
 * outside the grid are skipped; an empty or degenerate ring visits nothing.
 */
export function forEachPixelInPolygon(
  ring: readonly (readonly [number, number])[],
  width: number,
  height: number,
  visit: (x: number, y: number) => void,
): void {
  if (ring.length < 3) return;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(width - 1, Math.ceil(maxX));
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(height - 1, Math.ceil(maxY));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (pointInRing(ring, x + 0.5, y + 0.5)) visit(x, y);
    }
  }
}
