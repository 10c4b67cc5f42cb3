/**
 * Seam merging: regions cut by tile borders are joined by comparing the label lines on
 * either side of every seam (8-connectivity, diagonal corners included), so a tiled run
 * finds exactly the regions a whole-image run finds.
 */
import type { Tile, TilePlan } from "./tile-plan.js";

/** Run-length encoding of a label line: [value, runLength, value, runLength, ...]. */
export type LabelRuns = number[];

/** The labels on the four sides of a tile's core (top/bottom left to right, left/right top to bottom). */
export interface CoreEdges {
  top: LabelRuns;
  bottom: LabelRuns;
  left: LabelRuns;
  right: LabelRuns;
}

export function encodeRuns(line: ArrayLike<number>): LabelRuns {
  const runs: number[] = [];
  for (let i = 0; i < line.length;) {
    const v = line[i];
    let j = i + 1;
    while (j < line.length && line[j] === v) j++;
    runs.push(v, j - i);
    i = j;
  }
  return runs;
}

export function decodeRuns(runs: LabelRuns, length: number): Int32Array {
  const out = new Int32Array(length);
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const end = at + runs[k + 1];
    if (end > length) throw new RangeError(`Expected runs totalling ${length} but they exceed it`);
    out.fill(runs[k], at, end);
    at = end;
  }
  if (at !== length) throw new RangeError(`Expected runs totalling ${length} but received ${at}`);
  return out;
}

/**
 * Reads the core's border lines out of a window's label raster (window-sized, row-major).
 */
export function coreEdges(labels: Int32Array, tile: Tile): CoreEdges {
  const { core, window } = tile;
  const w = window.width;
  const ox = core.x - window.x;
  const oy = core.y - window.y;
  const row = (y: number) => labels.subarray((oy + y) * w + ox, (oy + y) * w + ox + core.width);
  const column = (x: number) => {
    const out = new Int32Array(core.height);
    for (let y = 0; y < core.height; y++) out[y] = labels[(oy + y) * w + ox + x];
    return out;
  };
  return {
    top: encodeRuns(row(0)),
    bottom: encodeRuns(row(core.height - 1)),
    left: encodeRuns(column(0)),
    right: encodeRuns(column(core.width - 1)),
  };
}

/** A region fragment's key: the tile it lies in and its label there. */
export function fragmentKey(tileIndex: number, label: number): string {
  return `${tileIndex}:${label}`;
}

class DisjointSet {
  private readonly parent = new Map<string, string>();
  add(key: string): void {
    if (!this.parent.has(key)) this.parent.set(key, key);
  }
  find(key: string): string {
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let at = key;
    while (at !== root) {
      const next = this.parent.get(at)!;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}

/**
 * Groups fragments into regions. `fragments` lists every (tile, label) with pixels in its
 * tile's core; `edges` holds each tile's CoreEdges by tile index. Returns, per fragment key,
 * the key of the region (group) it belongs to.
 */
export function joinAcrossSeams(
  plan: TilePlan,
  fragments: readonly string[],
  edges: ReadonlyMap<number, CoreEdges>,
): Map<string, string> {
  const set = new DisjointSet();
  for (const key of fragments) set.add(key);
  const at = (col: number, row: number): Tile | undefined =>
    col >= 0 && row >= 0 && col < plan.cols && row < plan.rows
      ? plan.tiles[row * plan.cols + col]
      : undefined;
  const decoded = new Map<number, Record<keyof CoreEdges, Int32Array>>();
  const lines = (t: Tile) => {
    const cached = decoded.get(t.index);
    if (cached) return cached;
    const e = edges.get(t.index);
    if (!e) throw new Error(`tile ${t.index} has no result`);
    const result = {
      top: decodeRuns(e.top, t.core.width),
      bottom: decodeRuns(e.bottom, t.core.width),
      left: decodeRuns(e.left, t.core.height),
      right: decodeRuns(e.right, t.core.height),
    };
    decoded.set(t.index, result);
    return result;
  };
  const joinLines = (ta: Tile, a: Int32Array, tb: Tile, b: Int32Array) => {
    for (let i = 0; i < a.length; i++) {
      if (a[i] === 0) continue;
      for (let j = Math.max(0, i - 1); j <= Math.min(b.length - 1, i + 1); j++) {
        if (b[j] !== 0) set.union(fragmentKey(ta.index, a[i]), fragmentKey(tb.index, b[j]));
      }
    }
  };
  const joinPixels = (ta: Tile, a: number, tb: Tile, b: number) => {
    if (a !== 0 && b !== 0) set.union(fragmentKey(ta.index, a), fragmentKey(tb.index, b));
  };
  for (const tile of plan.tiles) {
    const here = lines(tile);
    const right = at(tile.col + 1, tile.row);
    if (right) joinLines(tile, here.right, right, lines(right).left);
    const below = at(tile.col, tile.row + 1);
    if (below) joinLines(tile, here.bottom, below, lines(below).top);
    const belowRight = at(tile.col + 1, tile.row + 1);
    if (belowRight)
      joinPixels(tile, here.bottom[here.bottom.length - 1], belowRight, lines(belowRight).top[0]);
    const belowLeft = at(tile.col - 1, tile.row + 1);
    if (belowLeft) {
      const top = lines(belowLeft).top;
      joinPixels(tile, here.bottom[0], belowLeft, top[top.length - 1]);
    }
  }
  const groups = new Map<string, string>();
  for (const key of fragments) groups.set(key, set.find(key));
  return groups;
}
