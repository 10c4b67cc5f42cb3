import { describe, it, expect } from "vitest";
import { close, dilate, erode, open } from "../../../pipeline/core/morphology.js";

/** Parses rows of "0"/"1" characters into a mask. */
function mask(...rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(""), (ch) => (ch === "1" ? 1 : 0));
}

type Op = typeof erode;
function apply(op: Op, src: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(src.length);
  op(src, width, height, radius, out, new Uint8Array(src.length));
  return out;
}

function applyPair(
  op: typeof open,
  src: Uint8Array,
  width: number,
  height: number,
  radius: number,
): Uint8Array {
  const out = new Uint8Array(src.length);
  op(src, width, height, radius, out, new Uint8Array(src.length), new Uint8Array(src.length));
  return out;
}

describe("erode and dilate", () => {
  it("dilates a pixel into a square clipped by the border", () => {
    const src = mask("00000", "00000", "00001", "00000");
    expect(apply(dilate, src, 5, 4, 1)).toEqual(mask("00000", "00011", "00011", "00011"));
  });

  it("erodes with the outside counted as foreground", () => {
    const src = mask("1111", "1111", "1101");
    expect(apply(erode, src, 4, 3, 1)).toEqual(mask("1111", "1000", "1000"));
    // A full mask is not eaten from the border, whatever the radius.
    expect(apply(erode, mask("111", "111"), 3, 2, 5)).toEqual(mask("111", "111"));
  });

  it("copies the mask for radius 0 and treats any non-zero value as foreground", () => {
    const src = Uint8Array.from([0, 7, 255, 0]);
    expect(apply(erode, src, 2, 2, 0)).toEqual(Uint8Array.from([0, 1, 1, 0]));
    expect(apply(dilate, src, 2, 2, 0)).toEqual(Uint8Array.from([0, 1, 1, 0]));
  });

  it("may write over its input", () => {
    const src = mask("000", "010", "000");
    dilate(src, 3, 3, 1, src, new Uint8Array(9));
    expect(src).toEqual(mask("111", "111", "111"));
  });

  it("handles empty images", () => {
    expect(apply(dilate, new Uint8Array(0), 0, 4, 2)).toEqual(new Uint8Array(0));
  });

  it("checks buffer lengths and the radius", () => {
    const src = new Uint8Array(25);
    expect(() => erode(src, 5, 5, 1, new Uint8Array(25), new Uint8Array(24))).toThrow(
      new RangeError("Expected scratch of length 25 but received 24"),
    );
    expect(() => dilate(src, 5, 5, 1.5, new Uint8Array(25), new Uint8Array(25))).toThrow(
      "Expected non-negative integer for radius but received 1.5",
    );
  });
});

describe("open and close", () => {
  it("opens a 5x5 mask by r=1: specks go, the corner block survives the border", () => {
    const src = mask("11100", "11101", "11100", "00000", "01000");
    expect(applyPair(open, src, 5, 5, 1)).toEqual(mask("11100", "11100", "11100", "00000", "00000"));
  });

  it("closes a one-pixel hole and gap", () => {
    const src = mask("0000000", "0000000", "0011100", "0010100", "0011100", "0000000", "0000000");
    expect(applyPair(close, src, 7, 7, 1)).toEqual(
      mask("0000000", "0000000", "0011100", "0011100", "0011100", "0000000", "0000000"),
    );
    const gap = mask("000000000", "000000000", "001101100", "001101100", "000000000", "000000000");
    expect(applyPair(close, gap, 9, 6, 1)).toEqual(
      mask("000000000", "000000000", "001111100", "001111100", "000000000", "000000000"),
    );
  });

  it("closes background strips up to r wide between an object and the image edge", () => {
    expect(applyPair(close, mask("0110", "0110"), 4, 2, 1)).toEqual(mask("1111", "1111"));
  });

  it("checks the tmp buffer", () => {
    const src = new Uint8Array(4);
    expect(() => open(src, 2, 2, 1, new Uint8Array(4), new Uint8Array(4), new Uint8Array(3))).toThrow(
      "Expected tmp of length 4 but received 3",
    );
  });
});
