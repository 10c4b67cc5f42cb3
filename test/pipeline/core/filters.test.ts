import { describe, it, expect } from "vitest";
import { boxMean } from "../../../pipeline/core/filters.js";

/** Direct O(r^2) reference: mean of the non-NaN samples of the clipped window. */
function reference(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let sum = 0;
      let count = 0;
      for (let y = Math.max(0, r - radius); y <= Math.min(height - 1, r + radius); y++) {
        for (let x = Math.max(0, c - radius); x <= Math.min(width - 1, c + radius); x++) {
          const v = src[y * width + x];
          if (!Number.isNaN(v)) {
            sum += v;
            count++;
          }
        }
      }
      out[r * width + c] = count > 0 ? sum / count : NaN;
    }
  }
  return out;
}

function run(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const out = new Float32Array(width * height);
  boxMean(src, width, height, radius, out, new Float32Array(width * height));
  return out;
}

describe("boxMean", () => {
  const ramp = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it("averages the window clipped to the image", () => {
    expect(Array.from(run(ramp, 3, 3, 1))).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  it("is the identity for radius 0 and the global mean for a huge radius", () => {
    expect(Array.from(run(ramp, 3, 3, 0))).toEqual(Array.from(ramp));
    expect(Array.from(run(ramp, 3, 3, 1000))).toEqual(new Array(9).fill(5));
  });

  it("ignores NaN and infinite samples, NaN when a window has no finite one", () => {
    const src = new Float32Array([1, 2, NaN, 4, Infinity, NaN, NaN, NaN, NaN]);
    expect(Array.from(run(src, 3, 3, 1))).toEqual(
      [7 / 3, 7 / 3, 2, 7 / 3, 7 / 3, 2, 4, 4, NaN].map(Math.fround),
    );
    expect(Array.from(run(new Float32Array([NaN]), 1, 1, 2))).toEqual([NaN]);
  });

  it("matches the direct window mean on a NaN-speckled image for several radii", () => {
    const width = 7;
    const height = 5;
    const src = new Float32Array(width * height);
    for (let i = 0; i < src.length; i++) src[i] = i % 5 === 3 ? NaN : ((i * 37) % 11) - 4;
    for (let radius = 0; radius <= 4; radius++) {
      const got = run(src, width, height, radius);
      const want = reference(src, width, height, radius);
      for (let i = 0; i < got.length; i++) {
        if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
        else expect(got[i]).toBeCloseTo(want[i], 5);
      }
    }
  });

  it("checks scratch and out lengths", () => {
    expect(() => boxMean(ramp, 3, 3, 1, new Float32Array(9), new Float32Array(8))).toThrow(
      new RangeError("Expected scratch of length 9 but received 8"),
    );
    expect(() => boxMean(ramp, 3, 3, 1, new Float32Array(10), new Float32Array(9))).toThrow(
      "Expected out of length 9 but received 10",
    );
    expect(() => boxMean(ramp, 3, 3, -1, new Float32Array(9), new Float32Array(9))).toThrow(
      "Expected non-negative integer for radius but received -1",
    );
  });
});
