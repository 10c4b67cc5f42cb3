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
 * O(1) per pixel in r.
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
  windowAny(mask, width, height, radius, 1, 0, scratch);
  windowAny(scratch, width, height, radius, width, 0, out);
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
  windowAny(mask, width, height, radius, 1, 1, scratch);
  windowAny(scratch, width, height, radius, width, 1, out);
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
 * One separable pass along rows (step 1) or columns (step width): dst[i] = target when some
 * pixel within `radius` steps of i has that value (non-zero counting as 1), else 1 - target.
 * Pixels outside the image never match, which yields the documented border rules.
 */
function windowAny(
  src: Uint8Array,
  width: number,
  height: number,
  radius: number,
  step: number,
  target: 0 | 1,
  dst: Uint8Array,
): void {
  const lineLength = step === 1 ? width : height;
  const lines = step === 1 ? height : width;
  const lineStride = step === 1 ? width : 1;
  const reach = Math.min(radius, lineLength);
  const miss = 1 - target;
  for (let line = 0; line < lines; line++) {
    const base = line * lineStride;
    let matches = 0;
    for (let j = 0; j < reach; j++) {
      if ((src[base + j * step] !== 0 ? 1 : 0) === target) matches++;
    }
    for (let j = 0; j < lineLength; j++) {
      const enter = j + reach;
      if (enter < lineLength && (src[base + enter * step] !== 0 ? 1 : 0) === target) matches++;
      const leave = j - reach - 1;
      if (leave >= 0 && (src[base + leave * step] !== 0 ? 1 : 0) === target) matches--;
      dst[base + j * step] = matches > 0 ? target : miss;
    }
  }
}
