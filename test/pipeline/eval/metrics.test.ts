import { describe, expect, it } from "vitest";
import { addConfusion, confusion, objectCounts, pixelScores } from "../../../pipeline/eval/metrics.js";

describe("confusion and pixelScores", () => {
  it("counts a hand-made pair exactly", () => {
    const predicted = Uint8Array.from([1, 1, 0, 0, 255, 0]);
    const truth = Uint8Array.from([1, 0, 1, 0, 1, 0]);
    const c = confusion(predicted, truth);
    expect(c).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    expect(pixelScores(c)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, iou: 0.5 });
  });

  it("scores an empty truth with no prediction as perfect, and with a prediction as 0", () => {
    expect(pixelScores({ tp: 0, fp: 0, fn: 0, tn: 9 }).f1).toBe(1);
    expect(pixelScores({ tp: 0, fp: 3, fn: 0, tn: 6 })).toEqual({ precision: 0, recall: 0, f1: 0, iou: 0 });
  });

  it("pools counts by addition", () => {
    expect(addConfusion({ tp: 1, fp: 2, fn: 3, tn: 4 }, { tp: 1, fp: 1, fn: 1, tn: 1 })).toEqual({
      tp: 2,
      fp: 3,
      fn: 4,
      tn: 5,
    });
  });

  it("rejects masks of different sizes", () => {
    expect(() => confusion(new Uint8Array(3), new Uint8Array(4))).toThrow(
      "Expected masks of equal length but received 3 and 4",
    );
  });
});

describe("objectCounts", () => {
  it("counts truth objects touched by any predicted pixel (8-connected)", () => {
    // 4x4 truth: one 2-pixel diagonal object and one single pixel; the prediction touches the diagonal one.
    const truth = Uint8Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const predicted = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(objectCounts(predicted, truth, 4, 4)).toEqual({ objects: 2, found: 1 });
  });
});
