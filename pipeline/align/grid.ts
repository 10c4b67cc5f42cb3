/**
 * The common grid of a before/after pair. Change is always computed on the BEFORE image's
 * pixel grid; this module finds the part of it the after image covers and the affine map
 * from before pixels to after pixels (exact for one CRS, a least-squares fit across CRSs).
 */
import { InputError } from "../errors.js";
import type { GeoTransform, PixelWindow, RasterInfo } from "../raster/types.js";
import { converter, isKnownEpsg, toLonLat, type Converter } from "./crs.js";

/**
 * Before pixel (x, y) → after pixel coordinates, both in the pixel-corner convention (pixel
 * (i, j) spans [i, i+1) x [j, j+1); its centre is (i + 0.5, j + 0.5)):
 * afterX = a0 + a1 * x + a2 * y, afterY = b0 + b1 * x + b2 * y.
 */
export interface AffineMapping {
  a0: number;
  a1: number;
  a2: number;
  b0: number;
  b1: number;
  b2: number;
}

export interface PairGeometry {
  /** The part of the before image covered by the after image, in before pixels (integers). */
  overlap: PixelWindow;
  /** Before pixel → after pixel. */
  mapping: AffineMapping;
  /** True when the two images are in different CRSs and the mapping is a fitted affine. */
  reprojected: boolean;
  /** Largest distance, in after pixels, between the fitted affine and the exact reprojection over the overlap (0 when exact). */
  fitErrorPx: number;
  /** Before pixel size in metres (square root of the pixel area), or null in pixel space or an unknown CRS. */
  gsdM: number | null;
}

/** An overlap narrower or shorter than this many before pixels counts as none. */
export const MIN_OVERLAP_PX = 16;

/** Points per side of the grid the cross-CRS affine is fitted on (and checked against). */
const FIT_GRID = 17;

/** Points per edge when the after footprint is carried into the before CRS. */
const EDGE_POINTS = 33;

/** Mean Earth radius-based metres per degree of latitude (WGS84, mid-latitude). */
const M_PER_DEG_LAT = 111_132;
/** Metres per degree of longitude at the equator (WGS84 semi-major axis). */
const M_PER_DEG_LON_EQUATOR = 111_320;

/**
 * Computes the pair geometry. Rules:
 * - both geo-referenced, same EPSG (or both without an EPSG code, taken as one CRS): exact
 *   affine from the two transforms;
 * - both geo-referenced, different EPSG: the after footprint is reprojected (proj4) to find
 *   the overlap, and an affine is fitted by least squares over the overlap;
 * - neither geo-referenced (PNG/JPEG pairs): the after image is taken to show the same
 *   ground as the before image, possibly resized, so the map is a pure scale
 *   (after size / before size) and the overlap is the whole before image;
 * - only one geo-referenced: E_INPUT_FORMAT naming the one without.
 * Throws E_NO_OVERLAP when the covered part is smaller than MIN_OVERLAP_PX on a side.
 */
export function pairGeometry(before: RasterInfo, after: RasterInfo): PairGeometry {
  const tb = before.transform;
  const ta = after.transform;
  if (tb === null && ta === null) return pixelSpaceGeometry(before, after);
  if (tb === null || ta === null) {
    const [without, other] = tb === null ? [before, after] : [after, before];
    throw new InputError(
      "E_INPUT_FORMAT",
      without.path,
      `has no geo-reference but ${other.path} has one; give both images a geo-reference or neither`,
    );
  }
  if (before.epsg === after.epsg) return sameCrsGeometry(before, after, tb, ta);
  for (const info of [before, after]) {
    if (info.epsg === null || !isKnownEpsg(info.epsg)) {
      const crs = info.epsg === null ? "a user-defined CRS (no EPSG code)" : `EPSG:${info.epsg}`;
      const other = info === before ? after : before;
      throw new InputError(
        "E_INPUT_FORMAT",
        info.path,
        `cannot reproject from ${crs} to match ${other.path}; supported: EPSG:4326, EPSG:3857, EPSG:32601-32660, EPSG:32701-32760`,
      );
    }
  }
  return reprojectedGeometry(before, after, tb, ta, before.epsg as number, after.epsg as number);
}

/** Applies the mapping to one point. */
export function mapPoint(m: AffineMapping, x: number, y: number): [number, number] {
  return [m.a0 + m.a1 * x + m.a2 * y, m.b0 + m.b1 * x + m.b2 * y];
}

function pixelSpaceGeometry(before: RasterInfo, after: RasterInfo): PairGeometry {
  const mapping = {
    a0: 0,
    a1: after.width / before.width,
    a2: 0,
    b0: 0,
    b1: 0,
    b2: after.height / before.height,
  };
  const overlap = { x: 0, y: 0, width: before.width, height: before.height };
  checkOverlap(before, after, overlap, () => [pixelExtent(before), pixelExtent(after)]);
  return { overlap, mapping, reprojected: false, fitErrorPx: 0, gsdM: null };
}

function sameCrsGeometry(
  before: RasterInfo,
  after: RasterInfo,
  tb: GeoTransform,
  ta: GeoTransform,
): PairGeometry {
  const mapping: AffineMapping = {
    a0: (tb.originX - ta.originX) / ta.pixelWidth,
    a1: tb.pixelWidth / ta.pixelWidth,
    a2: 0,
    b0: (tb.originY - ta.originY) / ta.pixelHeight,
    b1: 0,
    b2: tb.pixelHeight / ta.pixelHeight,
  };
  // After's corners in before pixels: invert each axis of the (diagonal) mapping.
  const xs = [-mapping.a0 / mapping.a1, (after.width - mapping.a0) / mapping.a1];
  const ys = [-mapping.b0 / mapping.b2, (after.height - mapping.b0) / mapping.b2];
  const overlap = coveredWindow(before, Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys));
  checkOverlap(before, after, overlap, () => [geoExtent(before, tb), geoExtent(after, ta)]);
  const gsdM =
    before.epsg !== null && isKnownEpsg(before.epsg) ? groundPixelSize(before, tb, before.epsg) : null;
  return { overlap, mapping, reprojected: false, fitErrorPx: 0, gsdM };
}

function reprojectedGeometry(
  before: RasterInfo,
  after: RasterInfo,
  tb: GeoTransform,
  ta: GeoTransform,
  epsgB: number,
  epsgA: number,
): PairGeometry {
  const toAfter = converter(epsgB, epsgA);
  const toBefore = converter(epsgA, epsgB);
  // The after footprint (densified edges) in before pixels; its bounding box bounds the overlap.
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < EDGE_POINTS; k++) {
    const s = k / (EDGE_POINTS - 1);
    const edge: Array<[number, number]> = [
      [s * after.width, 0],
      [s * after.width, after.height],
      [0, s * after.height],
      [after.width, s * after.height],
    ];
    for (const [col, row] of edge) {
      const p = safeConvert(toBefore, ta.originX + col * ta.pixelWidth, ta.originY + row * ta.pixelHeight);
      if (p === null) continue;
      const bx = (p[0] - tb.originX) / tb.pixelWidth;
      const by = (p[1] - tb.originY) / tb.pixelHeight;
      minX = Math.min(minX, bx);
      maxX = Math.max(maxX, bx);
      minY = Math.min(minY, by);
      maxY = Math.max(maxY, by);
    }
  }
  const overlap = Number.isFinite(minX)
    ? coveredWindow(before, minX, maxX, minY, maxY)
    : { x: 0, y: 0, width: 0, height: 0 };
  checkOverlap(before, after, overlap, () => [geoExtent(before, tb), geoExtent(after, ta)]);
  const { mapping, fitErrorPx } = fitAffine(overlap, (x, y) => {
    const p = safeConvert(toAfter, tb.originX + x * tb.pixelWidth, tb.originY + y * tb.pixelHeight);
    if (p === null) return null;
    return [(p[0] - ta.originX) / ta.pixelWidth, (p[1] - ta.originY) / ta.pixelHeight];
  });
  return { overlap, mapping, reprojected: true, fitErrorPx, gsdM: groundPixelSize(before, tb, epsgB) };
}

/**
 * Least-squares affine through a FIT_GRID x FIT_GRID grid of exact point pairs over
 * `window` (normal equations of x' = c0 + c1 x + c2 y, solved for each output axis), and
 * the largest residual on that grid.
 */
function fitAffine(
  window: PixelWindow,
  exact: (x: number, y: number) => [number, number] | null,
): { mapping: AffineMapping; fitErrorPx: number } {
  const pts: Array<[number, number, number, number]> = [];
  for (let j = 0; j < FIT_GRID; j++) {
    for (let i = 0; i < FIT_GRID; i++) {
      const x = window.x + (window.width * i) / (FIT_GRID - 1);
      const y = window.y + (window.height * j) / (FIT_GRID - 1);
      const p = exact(x, y);
      if (p !== null) pts.push([x, y, p[0], p[1]]);
    }
  }
  // Centre the coordinates for a well-conditioned system (UTM eastings are ~1e5..1e6).
  const cx = window.x + window.width / 2;
  const cy = window.y + window.height / 2;
  const n = new Float64Array(9);
  const rx = new Float64Array(3);
  const ry = new Float64Array(3);
  for (const [x, y, u, v] of pts) {
    const row = [1, x - cx, y - cy];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) n[r * 3 + c] += row[r] * row[c];
      rx[r] += row[r] * u;
      ry[r] += row[r] * v;
    }
  }
  const [p0, p1, p2] = solve3(n, rx);
  const [q0, q1, q2] = solve3(n, ry);
  const mapping: AffineMapping = {
    a0: p0 - p1 * cx - p2 * cy,
    a1: p1,
    a2: p2,
    b0: q0 - q1 * cx - q2 * cy,
    b1: q1,
    b2: q2,
  };
  let fitErrorPx = 0;
  for (const [x, y, u, v] of pts) {
    const [fu, fv] = mapPoint(mapping, x, y);
    fitErrorPx = Math.max(fitErrorPx, Math.hypot(fu - u, fv - v));
  }
  return { mapping, fitErrorPx };
}

/** Solves the 3x3 system m·s = r (Cramer's rule; m is symmetric positive definite here). */
function solve3(m: Float64Array, r: Float64Array): [number, number, number] {
  const det = (a: ArrayLike<number>): number =>
    a[0] * (a[4] * a[8] - a[5] * a[7]) -
    a[1] * (a[3] * a[8] - a[5] * a[6]) +
    a[2] * (a[3] * a[7] - a[4] * a[6]);
  const d = det(m);
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const mc = Float64Array.from(m);
    for (let r0 = 0; r0 < 3; r0++) mc[r0 * 3 + c] = r[r0];
    out[c] = det(mc) / d;
  }
  return out;
}

function safeConvert(convert: Converter, x: number, y: number): [number, number] | null {
  try {
    const p = convert(x, y);
    return Number.isFinite(p[0]) && Number.isFinite(p[1]) ? p : null;
  } catch {
    return null;
  }
}

/**
 * The before pixels lying wholly inside [minX, maxX] x [minY, maxY] (before pixel
 * coordinates), clipped to the image. A tolerance of 1e-6 px absorbs rounding in the
 * transforms so that exactly aligned grids keep their edge pixels.
 */
function coveredWindow(
  before: RasterInfo,
  minX: number,
  maxX: number,
  minY: number,
  maxY: number,
): PixelWindow {
  const eps = 1e-6;
  const x0 = Math.max(0, Math.ceil(minX - eps));
  const y0 = Math.max(0, Math.ceil(minY - eps));
  const x1 = Math.min(before.width, Math.floor(maxX + eps));
  const y1 = Math.min(before.height, Math.floor(maxY + eps));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

type Extent = string;

function checkOverlap(
  before: RasterInfo,
  after: RasterInfo,
  overlap: PixelWindow,
  extents: () => [Extent, Extent],
): void {
  if (overlap.width >= MIN_OVERLAP_PX && overlap.height >= MIN_OVERLAP_PX) return;
  const [eb, ea] = extents();
  const small =
    overlap.width > 0 && overlap.height > 0
      ? ` (the common part is ${overlap.width} x ${overlap.height} before pixels, less than ${MIN_OVERLAP_PX} a side)`
      : "";
  throw new InputError(
    "E_NO_OVERLAP",
    before.path,
    `does not overlap ${after.path}${small}: before covers ${eb}, after covers ${ea}`,
  );
}

function fmt(v: number): string {
  return String(Number(v.toFixed(6)));
}

function geoExtent(info: RasterInfo, t: GeoTransform): Extent {
  const xs = [t.originX, t.originX + info.width * t.pixelWidth];
  const ys = [t.originY, t.originY + info.height * t.pixelHeight];
  const crs = info.epsg === null ? "no EPSG code" : `EPSG:${info.epsg}`;
  return `x ${fmt(Math.min(...xs))}..${fmt(Math.max(...xs))}, y ${fmt(Math.min(...ys))}..${fmt(Math.max(...ys))} (${crs})`;
}

function pixelExtent(info: RasterInfo): Extent {
  return `${info.width} x ${info.height} pixels (no geo-reference)`;
}

/**
 * Ground size of one before pixel in metres, sqrt(width_m * height_m), at the scene centre.
 * Degrees are converted with the local metres per degree; Web Mercator metres are scaled by
 * cos(latitude), their true size.
 */
function groundPixelSize(info: RasterInfo, t: GeoTransform, epsg: number): number | null {
  const cx = t.originX + (info.width / 2) * t.pixelWidth;
  const cy = t.originY + (info.height / 2) * t.pixelHeight;
  const w = Math.abs(t.pixelWidth);
  const h = Math.abs(t.pixelHeight);
  if (epsg === 4326) {
    const cosLat = Math.cos((cy * Math.PI) / 180);
    return Math.sqrt(w * M_PER_DEG_LON_EQUATOR * cosLat * h * M_PER_DEG_LAT);
  }
  if (epsg === 3857) {
    const ll = safeConvert(toLonLat(3857), cx, cy);
    return ll === null ? null : Math.sqrt(w * h) * Math.cos((ll[1] * Math.PI) / 180);
  }
  return Math.sqrt(w * h);
}
