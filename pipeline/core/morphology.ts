/**
 * Binary morphology on 0/1 masks: opening removes specks smaller than the structuring
 * element, closing fills small gaps, so detections become solid building footprints.
 */

import { checkImage, checkNonNegativeInteger } from "./validate.js";

/**
 * Erosion by a (2r+1)x(2r+1) square: out is 1 where every mask pixel in the window is
 * non-zero. Pixels outside the image count as foreground, so objects touching the border
 * are not eaten from that side. `mask`, `out` and `scratch` are Uint8Array row-major, length
 * width*height; any non-zero mask value is foreground. `out` may be `mask` (the mask is fully
 * read into scratch first); scratch must be distinct from both. Separable running counts:
 * O(1) per pixel in r; allocates one Int32Array(width) per call for the column counts.
 */
export function erode(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  out: Uint8Array,
  scratch: Uint8Array,
): void {
  checkMorphology(mask, width, height, radius, out, scratch);
  // Erosion is a dilation of the background: look for any background pixel in the window.
  separable(mask, width, height, radius, 0, scratch, out);
}

/**
 * Dilation by a (2r+1)x(2r+1) square: out is 1 where any mask pixel in the window is non-zero.
 * Pixels outside the image count as background. Layout, aliasing and cost as for erode.
 */
export function dilate(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  out: Uint8Array,
  scratch: Uint8Array,
): void {
  checkMorphology(mask, width, height, radius, out, scratch);
  separable(mask, width, height, radius, 1, scratch, out);
}

/**
 * Opening (erode then dilate): removes foreground specks and necks narrower than 2r+1 while
 * keeping larger shapes; thanks to the border rules an object cut by the image edge survives.
 * `tmp` holds the eroded mask; `scratch` and `tmp` are Uint8Array(width*height), distinct from
 * each other and from mask/out; `out` may be `mask`.
 */
export function open(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  out: Uint8Array,
  scratch: Uint8Array,
  tmp: Uint8Array,
): void {
  checkImage("tmp", tmp, width, height);
  erode(mask, width, height, radius, tmp, scratch);
  dilate(tmp, width, height, radius, out, scratch);
}

/**
 * Closing (dilate then erode): fills holes and gaps narrower than 2r+1. Because the border
 * counts as background for the dilation but foreground for the erosion, a background strip
 * at most r wide between an object and the image edge is filled too; tiles overlapping by
 * more than r keep that out of their cores. Buffers as for open.
 */
export function close(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  out: Uint8Array,
  scratch: Uint8Array,
  tmp: Uint8Array,
): void {
  checkImage("tmp", tmp, width, height);
  dilate(mask, width, height, radius, tmp, scratch);
  erode(tmp, width, height, radius, out, scratch);
}

function checkMorphology(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  out: Uint8Array,
  scratch: Uint8Array,
): void {
  checkImage("mask", mask, width, height);
  checkNonNegativeInteger("radius", radius);
  checkImage("out", out, width, height);
  checkImage("scratch", scratch, width, height);
}

/**
 * The separable passes: dst[i] = target when some pixel within `reach` steps of i along
 * the row (rowPass) or the column (columnPass) has that value (non-zero counting as 1), else
 * 1 - target. Pixels outside the image never match, which yields the documented border
 * rules. Both walk memory row by row: the column pass keeps one running count per column,
 * as a column-by-column walk would miss the cache on every pixel of a large mask. (Telling
 * the passes apart by a step argument once made width-1 masks skip the column pass.)
 */
function separable(
  src: Uint8Array,
  width: number,
  height: number,
  radius: number,
  target: 0 | 1,
  scratch: Uint8Array,
  dst: Uint8Array,
): void {
  if (radius === 1) {
    // The profiles' 3x3 element: one sweep per pass instead of running counts.
    rowPass3(src, width, height, target, scratch);
    columnPass3(scratch, width, height, target, dst);
    return;
  }
  rowPass(src, width, height, Math.min(radius, width), target, scratch);
  columnPass(scratch, width, height, Math.min(radius, height), target, dst);
}

/**
 * rowPass for reach 1. With m(v) = 1 where v matches, dst = m(left) | m(centre) | m(right),
 * written as its complement for erosion: 1 where all three are foreground. The missing
 * neighbour at a row end never matches: 0 for dilation, foreground for erosion.
 */
function rowPass3(src: Uint8Array, width: number, height: number, target: 0 | 1, dst: Uint8Array): void {
  const outside = target === 1 ? 0 : 1;
  for (let base = 0, end = width * height; base < end; base += width) {
    let left = outside;
    let centre = src[base] !== 0 ? 1 : 0;
    for (let j = 0; j < width; j++) {
      const right = j + 1 < width ? (src[base + j + 1] !== 0 ? 1 : 0) : outside;
      dst[base + j] = target === 1 ? left | centre | right : left & centre & right;
      left = centre;
      centre = right;
    }
  }
}

/**
 * columnPass for reach 1 over rowPass3's 0/1 output: OR (dilation) or AND (erosion) of the
 * rows above, at and below; a missing row at the top or bottom edge is left out.
 */
function columnPass3(src: Uint8Array, width: number, height: number, target: 0 | 1, dst: Uint8Array): void {
  for (let r = 0; r < height; r++) {
    const mid = r * width;
    const up = r > 0 ? mid - width : mid;
    const down = r < height - 1 ? mid + width : mid;
    if (target === 1) {
      for (let c = 0; c < width; c++) dst[mid + c] = src[up + c] | src[mid + c] | src[down + c];
    } else {
      for (let c = 0; c < width; c++) dst[mid + c] = src[up + c] & src[mid + c] & src[down + c];
    }
  }
}

function rowPass(
  src: Uint8Array,
  width: number,
  height: number,
  reach: number,
  target: 0 | 1,
  dst: Uint8Array,
): void {
  const miss = 1 - target;
  // match(v) is v !== 0 for target 1 and v === 0 for target 0, i.e. (v !== 0) === want.
  const want = target === 1;
  for (let base = 0, end = width * height; base < end; base += width) {
    let matches = 0;
    for (let j = 0; j < reach; j++) if ((src[base + j] !== 0) === want) matches++;
    for (let j = 0; j < width; j++) {
      const enter = j + reach;
      if (enter < width && (src[base + enter] !== 0) === want) matches++;
      const leave = j - reach - 1;
      if (leave >= 0 && (src[base + leave] !== 0) === want) matches--;
      dst[base + j] = matches > 0 ? target : miss;
    }
  }
}

function columnPass(
  src: Uint8Array,
  width: number,
  height: number,
  reach: number,
  target: 0 | 1,
  dst: Uint8Array,
): void {
  const miss = 1 - target;
  const want = target === 1;
  const matches = new Int32Array(width);
  for (let r = 0; r < reach; r++) {
    for (let c = 0, i = r * width; c < width; c++, i++) if ((src[i] !== 0) === want) matches[c]++;
  }
  for (let r = 0; r < height; r++) {
    const enter = r + reach;
    if (enter < height) {
      for (let c = 0, i = enter * width; c < width; c++, i++) if ((src[i] !== 0) === want) matches[c]++;
    }
    const leave = r - reach - 1;
    if (leave >= 0) {
      for (let c = 0, i = leave * width; c < width; c++, i++) if ((src[i] !== 0) === want) matches[c]--;
    }
    for (let c = 0, i = r * width; c < width; c++, i++) dst[i] = matches[c] > 0 ? target : miss;
  }
}
