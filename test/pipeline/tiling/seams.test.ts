import { describe, expect, it } from "vitest";
import { labelComponents } from "../../../pipeline/core/components.js";
import { measureRegions, mergeMoments, type RegionMoments } from "../../../pipeline/core/regions.js";
import {
  coreEdges,
  decodeRuns,
  encodeRuns,
  fragmentKey,
  joinAcrossSeams,
  type CoreEdges,
} from "../../../pipeline/tiling/seams.js";
import { planTiles } from "../../../pipeline/tiling/tile-plan.js";

describe("encodeRuns / decodeRuns", () => {
  it("round-trips a label line", () => {
    const line = Int32Array.from([0, 0, 3, 3, 3, 0, 7]);
    expect(encodeRuns(line)).toEqual([0, 2, 3, 3, 0, 1, 7, 1]);
    expect(Array.from(decodeRuns(encodeRuns(line), 7))).toEqual(Array.from(line));
  });

  it("rejects runs that do not add up to the line length", () => {
    expect(() => decodeRuns([1, 2], 3)).toThrow("Expected runs totalling 3 but received 2");
  });
});

/** Deterministic pseudo-random mask with blobs of various sizes. */
function blobMask(width: number, height: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const mask = new Uint8Array(width * height);
  for (let k = 0; k < 40; k++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const rx = 1 + rand() * 12;
    const ry = 1 + rand() * 5;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, cy + ry); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, cx + rx); x++)
        mask[y * width + x] = 1;
    }
  }
  // Diagonal chains that cross seams only through corners.
  for (let i = 0; i < 30; i++) mask[(5 + i) * width + (5 + i)] = 1;
  return mask;
}

function windowOf(
  mask: Uint8Array,
  width: number,
  win: { x: number; y: number; width: number; height: number },
) {
  const out = new Uint8Array(win.width * win.height);
  for (let y = 0; y < win.height; y++) {
    out.set(
      mask.subarray((win.y + y) * width + win.x, (win.y + y) * width + win.x + win.width),
      y * win.width,
    );
  }
  return out;
}

describe("joinAcrossSeams", () => {
  it("finds exactly the regions of a whole-image labelling, for several tile sizes", () => {
    const width = 97;
    const height = 61;
    const mask = blobMask(width, height, 7);
    const whole = new Int32Array(width * height);
    const n = labelComponents(mask, width, height, whole, 8);
    const reference = measureRegions(whole, width, height, n, [], { x: 0, y: 0, width, height }, 0, 0)
      .map((m) => [m.area, m.minX, m.minY, m.maxX, m.maxY, m.sumX, m.sumY])
      .sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);

    for (const tileSize of [8, 16, 35]) {
      const plan = planTiles({ x: 0, y: 0, width, height }, tileSize, 2);
      const keys: string[] = [];
      const moments = new Map<string, RegionMoments>();
      const edges = new Map<number, CoreEdges>();
      for (const tile of plan.tiles) {
        const local = windowOf(mask, width, tile.window);
        const labels = new Int32Array(local.length);
        const count = labelComponents(local, tile.window.width, tile.window.height, labels, 8);
        const core = {
          x: tile.core.x - tile.window.x,
          y: tile.core.y - tile.window.y,
          width: tile.core.width,
          height: tile.core.height,
        };
        const ms = measureRegions(
          labels,
          tile.window.width,
          tile.window.height,
          count,
          [],
          core,
          tile.window.x,
          tile.window.y,
        );
        ms.forEach((m, i) => {
          if (m.area > 0) {
            keys.push(fragmentKey(tile.index, i + 1));
            moments.set(fragmentKey(tile.index, i + 1), m);
          }
        });
        edges.set(tile.index, coreEdges(labels, tile));
      }
      const groups = joinAcrossSeams(plan, keys, edges);
      const merged = new Map<string, RegionMoments>();
      for (const key of keys) {
        const g = groups.get(key)!;
        const prev = merged.get(g);
        merged.set(g, prev ? mergeMoments(prev, moments.get(key)!) : moments.get(key)!);
      }
      const tiled = [...merged.values()]
        .map((m) => [m.area, m.minX, m.minY, m.maxX, m.maxY, m.sumX, m.sumY])
        .sort((a, b) => a[2] - b[2] || a[1] - b[1] || a[0] - b[0]);
      expect(tiled, `tile size ${tileSize}`).toEqual(reference);
    }
  });
});
