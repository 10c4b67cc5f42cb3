import { describe, it, expect } from "vitest";
import { labelComponents } from "../../../pipeline/core/components.js";

function mask(...rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(""), (ch) => (ch === "1" ? 1 : 0));
}

function label(src: Uint8Array, width: number, height: number, connectivity: 4 | 8 = 8) {
  const labels = new Int32Array(src.length).fill(-7);
  const count = labelComponents(src, width, height, labels, connectivity);
  return { count, labels: Array.from(labels) };
}

/** Flood-fill reference that numbers components in raster order of their first pixel. */
function reference(src: Uint8Array, width: number, height: number, connectivity: 4 | 8): number[] {
  const labels = new Array<number>(src.length).fill(0);
  let next = 0;
  for (let start = 0; start < src.length; start++) {
    if (src[start] === 0 || labels[start] !== 0) continue;
    labels[start] = ++next;
    const stack = [start];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const r = Math.floor(i / width);
      const c = i % width;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if ((dr === 0 && dc === 0) || (connectivity === 4 && dr !== 0 && dc !== 0)) continue;
          const y = r + dr;
          const x = c + dc;
          const j = y * width + x;
          if (y < 0 || y >= height || x < 0 || x >= width || src[j] === 0 || labels[j] !== 0) continue;
          labels[j] = next;
          stack.push(j);
        }
      }
    }
  }
  return labels;
}

describe("labelComponents", () => {
  const lAndDiagonal = mask("10000", "10010", "11001", "00000");

  it("joins diagonal pixels with 8-connectivity", () => {
    expect(label(lAndDiagonal, 5, 4, 8)).toEqual({
      count: 2,
      labels: [1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0],
    });
  });

  it("keeps diagonal pixels apart with 4-connectivity", () => {
    expect(label(lAndDiagonal, 5, 4, 4)).toEqual({
      count: 3,
      labels: [1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 1, 0, 0, 3, 0, 0, 0, 0, 0],
    });
  });

  it("numbers merged components by their first pixel in raster order", () => {
    // The U starts as three provisional labels and is merged on the last row.
    const src = mask("10101", "10101", "11101", "00000", "00011");
    expect(label(src, 5, 5).labels).toEqual([
      1, 0, 1, 0, 2, 1, 0, 1, 0, 2, 1, 1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3,
    ]);
  });

  it("matches a flood fill on a speckled mask for both connectivities", () => {
    const width = 13;
    const height = 11;
    const src = new Uint8Array(width * height);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7919) % 13 < 6 ? 1 : 0;
    for (const connectivity of [4, 8] as const) {
      const { count, labels } = label(src, width, height, connectivity);
      const want = reference(src, width, height, connectivity);
      expect(labels).toEqual(want);
      expect(count).toBe(Math.max(...want));
    }
  });

  it("matches a flood fill on random masks of every density (spirals, U-turns, diagonal bridges)", () => {
    let seed = 99;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (const [width, height] of [
      [1, 9],
      [9, 1],
      [37, 29],
      [64, 64],
    ]) {
      for (const density of [0.1, 0.3, 0.5, 0.6, 0.8, 0.95]) {
        const src = Uint8Array.from({ length: width * height }, () =>
          random() < density ? (1 + random() * 3) | 0 : 0,
        );
        for (const connectivity of [4, 8] as const) {
          const { count, labels } = label(src, width, height, connectivity);
          const want = reference(src, width, height, connectivity);
          expect(labels).toEqual(want);
          expect(count).toBe(Math.max(0, ...want));
        }
      }
    }
  });

  it("handles empty masks, one pixel and a 4-connected checkerboard", () => {
    expect(label(mask("000", "000"), 3, 2)).toEqual({ count: 0, labels: [0, 0, 0, 0, 0, 0] });
    expect(label(mask("1"), 1, 1)).toEqual({ count: 1, labels: [1] });
    expect(label(new Uint8Array(0), 0, 0)).toEqual({ count: 0, labels: [] });
    expect(label(mask("101", "010", "101"), 3, 3, 4).count).toBe(5);
    expect(label(mask("101", "010", "101"), 3, 3, 8).count).toBe(1);
  });

  it("validates its arguments", () => {
    expect(() => labelComponents(new Uint8Array(4), 2, 2, new Int32Array(3))).toThrow(
      new RangeError("Expected labels of length 4 but received 3"),
    );
    expect(() => labelComponents(new Uint8Array(1), 1, 1, new Int32Array(1), 6 as 4)).toThrow(
      "Expected connectivity 4 or 8 but received 6",
    );
  });
});
