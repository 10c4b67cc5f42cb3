/**
 * Connected-component labelling: turns a binary change mask into numbered regions, one per
 * candidate building, for measurement.
 */

import { checkImage } from "./validate.js";

/**
 * Labels the foreground (non-zero) pixels of `mask` with the classic two-pass algorithm
 * (Rosenfeld & Pfaltz 1966), a decision tree for the neighbour checks (Wu, Otoo & Suzuki 2005)
 * and union-find with path compression. `mask` (Uint8Array) and
 * `labels` (Int32Array) are row-major, length width*height. Background gets 0; components
 * get 1..n, numbered in raster order of their first pixel. connectivity 8 joins diagonal
 * neighbours, 4 only edge neighbours. Returns n. Allocates one Int32Array of about
 * width*height/2 per call for the union-find forest.
 */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  labels: Int32Array,
  connectivity: 4 | 8 = 8,
): number {
  checkImage("mask", mask, width, height);
  checkImage("labels", labels, width, height);
  if (connectivity !== 4 && connectivity !== 8) {
    throw new RangeError(`Expected connectivity 4 or 8 but received ${String(connectivity)}`);
  }
  // A pixel opens a provisional label only when no earlier neighbour is foreground, so such
  // pixels never touch and there are at most ceil(n/2) of them.
  const parent = new Int32Array(Math.ceil((width * height) / 2) + 1);
  let next = 1;
  // Which earlier neighbours must be looked at follows Wu, Otoo & Suzuki's decision tree
  // (2005): with 8-connectivity, N touches W, NW and NE, which were therefore joined to it
  // when they were scanned, so a foreground N settles the pixel without a union; only NE
  // with NW or W can bridge two sets. Copying a neighbour's provisional label (not its
  // root) is enough, because the final sweep resolves chains. New labels open under the
  // same condition as in the plain algorithm (no foreground earlier neighbour), so the
  // numbering is unchanged.
  if (connectivity === 8) {
    for (let r = 0; r < height; r++) {
      const row = r * width;
      for (let c = 0; c < width; c++) {
        const i = row + c;
        if (mask[i] === 0) {
          labels[i] = 0;
          continue;
        }
        const w = c > 0 && mask[i - 1] !== 0;
        let label = 0;
        if (r > 0) {
          const n = i - width;
          if (mask[n] !== 0) {
            labels[i] = labels[n];
            continue;
          }
          const ne = c < width - 1 && mask[n + 1] !== 0;
          const nw = c > 0 && mask[n - 1] !== 0;
          if (ne) {
            if (nw) label = join(parent, labels[n - 1], labels[n + 1]);
            else if (w) label = join(parent, labels[i - 1], labels[n + 1]);
            else label = labels[n + 1];
          } else if (nw) {
            label = labels[n - 1];
          }
        }
        if (label === 0) {
          if (w) {
            label = labels[i - 1];
          } else {
            label = next++;
            parent[label] = label;
          }
        }
        labels[i] = label;
      }
    }
  } else {
    for (let r = 0; r < height; r++) {
      const row = r * width;
      for (let c = 0; c < width; c++) {
        const i = row + c;
        if (mask[i] === 0) {
          labels[i] = 0;
          continue;
        }
        const w = c > 0 && mask[i - 1] !== 0;
        const n = r > 0 && mask[i - width] !== 0;
        let label: number;
        if (n && w) label = join(parent, labels[i - 1], labels[i - width]);
        else if (n) label = labels[i - width];
        else if (w) label = labels[i - 1];
        else {
          label = next++;
          parent[label] = label;
        }
        labels[i] = label;
      }
    }
  }
  // Union by smaller root keeps parent[l] <= l, so one increasing sweep can turn every root
  // into its final number and every other label into its root's (already final) number.
  // Roots are created in raster order of each component's first pixel, hence the numbering.
  let count = 0;
  for (let l = 1; l < next; l++) {
    parent[l] = parent[l] < l ? parent[parent[l]] : ++count;
  }
  for (let i = 0; i < labels.length; i++) labels[i] = parent[labels[i]];
  return count;
}

/** Merges the sets of labels a and b; returns the merged set's root. */
function join(parent: Int32Array, a: number, b: number): number {
  const rb = find(parent, b);
  const ra = find(parent, a);
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

function find(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root];
  while (parent[x] !== root) {
    const up = parent[x];
    parent[x] = root;
    x = up;
  }
  return root;
}
