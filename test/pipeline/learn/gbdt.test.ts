import { describe, expect, it } from "vitest";
import { predictForest, trainForest } from "../../../pipeline/learn/gbdt.js";

describe("trainForest / predictForest", () => {
  it("learns an interaction of two features (an off-centre XOR)", () => {
    const rows = 400;
    const x = new Float32Array(rows * 2);
    const y = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      const a = (i % 20) / 20;
      const b = Math.floor(i / 20) / 20;
      x[i * 2] = a;
      x[i * 2 + 1] = b;
      y[i] = a < 0.3 !== b < 0.6 ? 1 : 0;
    }
    const forest = trainForest(x, y, 2, null, {
      trees: 30,
      maxDepth: 3,
      learningRate: 0.3,
      minLeafWeight: 5,
      subsample: 1,
    });
    const p = new Float32Array(rows);
    predictForest(forest, x, rows, p);
    let correct = 0;
    for (let i = 0; i < rows; i++) if (p[i] > 0.5 === (y[i] === 1)) correct++;
    expect(correct).toBe(rows);
  });

  it("starts from the base rate and gives NaN for rows without data", () => {
    const x = Float32Array.from([0, 1, 2, 3]);
    const y = Uint8Array.from([0, 0, 0, 1]);
    const forest = trainForest(x, y, 1, null, { trees: 0 });
    expect(forest.bias).toBeCloseTo(Math.log(0.25 / 0.75), 10);
    const p = new Float32Array(2);
    predictForest(forest, Float32Array.from([1, NaN]), 2, p);
    expect(p[0]).toBeCloseTo(0.25, 6);
    expect(p[1]).toBeNaN();
  });

  it("rejects a feature matrix of the wrong size", () => {
    expect(() => trainForest(new Float32Array(5), new Uint8Array(3), 2, null)).toThrow(
      "Expected x of length 6 but received 5",
    );
  });
});
