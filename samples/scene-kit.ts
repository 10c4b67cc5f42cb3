/**
 * Procedural overhead-imagery toolkit for the bundled sample scenes: a seeded PRNG, value
 * noise, shapes with signed distances (anti-aliased painting), cast shadows, and a sensor
 * model (gain, offset, haze, noise, quantisation). Everything is a function of local
 * ground coordinates, so two renders of one scene on shifted grids show the same ground.
 *
 * Local coordinates are metres from the before image's top-left corner, X east, Y south.
 * Canvases hold reflectance 0-1 in four bands (R, G, B, NIR), pixel-interleaved, row-major.
 */
import { pointInRing } from "../pipeline/core/polygon-fill.js";
import { mulberry32 } from "../pipeline/core/random.js";

/** Reflectance in R, G, B, NIR. */
export type Rgbn = readonly [number, number, number, number];
export type Point = readonly [number, number];

export { mulberry32 };

/** Standard normal deviates from a uniform PRNG (Box-Muller, both values used). */
export function gaussian(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = rand() || 1e-12;
    const v = rand();
    const m = Math.sqrt(-2 * Math.log(u));
    spare = m * Math.sin(2 * Math.PI * v);
    return m * Math.cos(2 * Math.PI * v);
  };
}

/** Hash of an integer lattice point to [0, 1). */
export function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix | 0, 0x27d4eb2d) ^ Math.imul(iy | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) with unit lattice spacing. */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash2(ix, iy, seed);
  const b = hash2(ix + 1, iy, seed);
  const c = hash2(ix, iy + 1, seed);
  const d = hash2(ix + 1, iy + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Fractal noise in about [0, 1): `octaves` layers of value noise, the first with wavelength `scaleM`. */
export function fbm(x: number, y: number, scaleM: number, octaves: number, seed: number): number {
  let sum = 0;
  let amp = 0.5;
  let norm = 0;
  let f = 1 / scaleM;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x * f, y * f, seed + o * 101);
    norm += amp;
    amp *= 0.5;
    f *= 2.03;
  }
  return sum / norm;
}

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export function smoothstep(e0: number, e1: number, v: number): number {
  const t = clamp01((v - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

export function mix(a: Rgbn, b: Rgbn, t: number): [number, number, number, number] {
  return [
    a[0] + (b[0] - a[0]) * t,
    a[1] + (b[1] - a[1]) * t,
    a[2] + (b[2] - a[2]) * t,
    a[3] + (b[3] - a[3]) * t,
  ];
}

export function scale(a: Rgbn, k: number): [number, number, number, number] {
  return [a[0] * k, a[1] * k, a[2] * k, a[3] * k];
}

/** A pixel grid in local metres: top-left corner, square pixel size, size in pixels. */
export interface Grid {
  x0: number;
  y0: number;
  pixelSizeM: number;
  width: number;
  height: number;
}

export class Canvas {
  readonly data: Float32Array;
  constructor(readonly grid: Grid) {
    this.data = new Float32Array(grid.width * grid.height * 4);
  }
  /** Local X of the centre of column `c`. */
  x(c: number): number {
    return this.grid.x0 + (c + 0.5) * this.grid.pixelSizeM;
  }
  /** Local Y of the centre of row `r`. */
  y(r: number): number {
    return this.grid.y0 + (r + 0.5) * this.grid.pixelSizeM;
  }
}

/** Writes `fn(x, y)` into every pixel. */
export function fillPerPixel(canvas: Canvas, fn: (x: number, y: number, out: number[]) => void): void {
  const { width, height } = canvas.grid;
  const out = [0, 0, 0, 0];
  const d = canvas.data;
  for (let r = 0; r < height; r++) {
    const y = canvas.y(r);
    for (let c = 0; c < width; c++) {
      fn(canvas.x(c), y, out);
      const i = (r * width + c) * 4;
      d[i] = out[0];
      d[i + 1] = out[1];
      d[i + 2] = out[2];
      d[i + 3] = out[3];
    }
  }
}

/** A region with a signed distance in metres (negative inside) and a bounding box. */
export interface Shape {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  sd(x: number, y: number): number;
}

/** Convex polygon (either winding); the distance is exact inside and near edges. */
export function convex(points: readonly Point[]): Shape {
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    area += x1 * y2 - x2 * y1;
  }
  const sign = area > 0 ? 1 : -1;
  const edges = points.map(([x1, y1], i) => {
    const [x2, y2] = points[(i + 1) % points.length];
    const len = Math.hypot(x2 - x1, y2 - y1);
    // Outward normal for this winding.
    const nx = (sign * (y2 - y1)) / len;
    const ny = (sign * -(x2 - x1)) / len;
    return { nx, ny, c: nx * x1 + ny * y1 };
  });
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return {
    minX: Math.min(...xs),
    minY: Math.min(...ys),
    maxX: Math.max(...xs),
    maxY: Math.max(...ys),
    sd(x, y) {
      let d = -Infinity;
      for (const e of edges) {
        const v = e.nx * x + e.ny * y - e.c;
        if (v > d) d = v;
      }
      return d;
    },
  };
}

/** Corners of a rectangle centred at (cx, cy), `lengthM` along the angle, `widthM` across. */
export function rectCorners(
  cx: number,
  cy: number,
  lengthM: number,
  widthM: number,
  angleDeg: number,
): Point[] {
  const a = (angleDeg * Math.PI) / 180;
  const ux = Math.cos(a);
  const uy = Math.sin(a);
  const hl = lengthM / 2;
  const hw = widthM / 2;
  return [
    [cx - ux * hl + uy * hw, cy - uy * hl - ux * hw],
    [cx + ux * hl + uy * hw, cy + uy * hl - ux * hw],
    [cx + ux * hl - uy * hw, cy + uy * hl + ux * hw],
    [cx - ux * hl - uy * hw, cy - uy * hl + ux * hw],
  ];
}

/** A strip of `widthM` along a polyline (a road, an embankment). */
export function polylineStrip(points: readonly Point[], widthM: number): Shape {
  const hw = widthM / 2;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return {
    minX: Math.min(...xs) - hw,
    minY: Math.min(...ys) - hw,
    maxX: Math.max(...xs) + hw,
    maxY: Math.max(...ys) + hw,
    sd: (x, y) => distanceToPolyline(points, x, y) - hw,
  };
}

export function distanceToPolyline(points: readonly Point[], x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[i + 1];
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = clamp01(((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy));
    const d = Math.hypot(x - x1 - t * dx, y - y1 - t * dy);
    if (d < best) best = d;
  }
  return best;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in X-east/Y-south axes' math sense. */
export function hull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Point, a: Point, b: Point): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Sun position for one acquisition; shadows fall away from the azimuth. */
export interface Sun {
  azimuthDeg: number;
  elevationDeg: number;
}

/** Ground offset (local metres) of the shadow tip of a point `heightM` above the ground. */
export function shadowOffset(sun: Sun, heightM: number): Point {
  const len = heightM / Math.tan((sun.elevationDeg * Math.PI) / 180);
  const az = (sun.azimuthDeg * Math.PI) / 180;
  // Azimuth is clockwise from north; local Y points south.
  return [-Math.sin(az) * len, Math.cos(az) * len];
}

/** The shadow a convex footprint of height `heightM` casts on flat ground. */
export function shadowShape(footprint: readonly Point[], sun: Sun, heightM: number): Shape {
  const [dx, dy] = shadowOffset(sun, heightM);
  return convex(hull([...footprint, ...footprint.map(([x, y]): Point => [x + dx, y + dy])]));
}

/** Iterates the pixels a shape may touch with their anti-aliased coverage 0-1. */
function forCoverage(
  canvas: Canvas,
  shape: Shape,
  fn: (i: number, x: number, y: number, a: number) => void,
): void {
  const { x0, y0, pixelSizeM: ps, width, height } = canvas.grid;
  const c0 = Math.max(0, Math.floor((shape.minX - x0) / ps) - 1);
  const c1 = Math.min(width - 1, Math.ceil((shape.maxX - x0) / ps) + 1);
  const r0 = Math.max(0, Math.floor((shape.minY - y0) / ps) - 1);
  const r1 = Math.min(height - 1, Math.ceil((shape.maxY - y0) / ps) + 1);
  for (let r = r0; r <= r1; r++) {
    const y = canvas.y(r);
    for (let c = c0; c <= c1; c++) {
      const x = canvas.x(c);
      const a = clamp01(0.5 - shape.sd(x, y) / ps);
      if (a > 0) fn((r * width + c) * 4, x, y, a);
    }
  }
}

/** Paints a shape with a per-point colour, blended by coverage times `opacity`. */
export function paint(
  canvas: Canvas,
  shape: Shape,
  shader: (x: number, y: number, out: number[]) => void,
  opacity = 1,
): void {
  const out = [0, 0, 0, 0];
  const d = canvas.data;
  forCoverage(canvas, shape, (i, x, y, a) => {
    shader(x, y, out);
    const t = a * opacity;
    for (let b = 0; b < 4; b++) d[i + b] += (out[b] - d[i + b]) * t;
  });
}

/** Darkens a shape's pixels by a per-band factor (a cast shadow: skylight only, bluish). */
export function darken(canvas: Canvas, shape: Shape, factor: Rgbn): void {
  const d = canvas.data;
  forCoverage(canvas, shape, (i, _x, _y, a) => {
    for (let b = 0; b < 4; b++) d[i + b] *= 1 - a * (1 - factor[b]);
  });
}

/** Skylight-only illumination in cast shadows: blue is scattered most, NIR least. */
export const SHADOW: Rgbn = [0.3, 0.33, 0.42, 0.25];

/** Per-acquisition radiometry: what turns ground reflectance into digital numbers. */
export interface Sensor {
  /** Per-band multiplicative gain (illumination and calibration differences). */
  gain: Rgbn;
  /** Per-band additive offset in reflectance units (path radiance). */
  offset: Rgbn;
  /** Haze: extra additive path radiance at full strength, modulated by a low-frequency field. */
  haze: Rgbn;
  /** Wavelength of the haze field in metres. */
  hazeScaleM: number;
  /** Gaussian noise standard deviation in output digital numbers. */
  noiseDn: number;
  seed: number;
}

function radiance(canvas: Canvas, sensor: Sensor, i: number, b: number, hazeField: number): number {
  return canvas.data[i + b] * sensor.gain[b] + sensor.offset[b] + sensor.haze[b] * hazeField;
}

function hazeAt(canvas: Canvas, sensor: Sensor, c: number, r: number): number {
  return fbm(canvas.x(c), canvas.y(r), sensor.hazeScaleM, 3, sensor.seed + 7);
}

/**
 * 8-bit RGB as a consumer satellite product would deliver it: a fixed stretch and gamma
 * of the R, G, B bands, plus noise. Returns pixel-interleaved R, G, B.
 */
export function toRgb8(canvas: Canvas, sensor: Sensor): Uint8Array {
  const { width, height } = canvas.grid;
  const out = new Uint8Array(width * height * 3);
  const noise = gaussian(mulberry32(sensor.seed));
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      const h = hazeAt(canvas, sensor, c, r);
      for (let b = 0; b < 3; b++) {
        const v = Math.max(0, radiance(canvas, sensor, p * 4, b, h)) * 1.8;
        const dn = 255 * Math.pow(v > 1 ? 1 : v, 0.75) + noise() * sensor.noiseDn;
        out[p * 3 + b] = dn < 0 ? 0 : dn > 255 ? 255 : Math.round(dn);
      }
    }
  }
  return out;
}

/** 12-bit R, G, B, NIR in uint16 (reflectance × 7000 + noise), pixel-interleaved. */
export function toUint16Rgbn(canvas: Canvas, sensor: Sensor): Uint16Array {
  const { width, height } = canvas.grid;
  const out = new Uint16Array(width * height * 4);
  const noise = gaussian(mulberry32(sensor.seed));
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      const h = hazeAt(canvas, sensor, c, r);
      for (let b = 0; b < 4; b++) {
        const dn = radiance(canvas, sensor, p * 4, b, h) * 7000 + noise() * sensor.noiseDn;
        out[p * 4 + b] = dn < 1 ? 1 : dn > 4095 ? 4095 : Math.round(dn);
      }
    }
  }
  return out;
}

/** Even-odd point-in-polygon test (for truth masks of arbitrary simple polygons). */
export const insidePolygon: (points: readonly Point[], x: number, y: number) => boolean = pointInRing;

/** A new or existing building: a rectangular footprint with a roof style and a height. */
export interface Building {
  cx: number;
  cy: number;
  lengthM: number;
  widthM: number;
  angleDeg: number;
  heightM: number;
  roof: Rgbn;
  style: "flat" | "gable";
}

export function buildingCorners(b: Building): Point[] {
  return rectCorners(b.cx, b.cy, b.lengthM, b.widthM, b.angleDeg);
}

/** Paints the buildings' shadows, then their roofs (so shadows never cover a roof). */
export function paintBuildings(canvas: Canvas, buildings: readonly Building[], sun: Sun): void {
  for (const b of buildings) darken(canvas, shadowShape(buildingCorners(b), sun, b.heightM), SHADOW);
  for (const b of buildings) {
    const a = (b.angleDeg * Math.PI) / 180;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    const hl = b.lengthM / 2;
    const hw = b.widthM / 2;
    // Sunlit side of a gable roof: the half whose normal points towards the sun.
    const [sx, sy] = shadowOffset(sun, 1);
    const litSide = -(-sin * sx + cos * sy) > 0 ? 1 : -1;
    paint(canvas, convex(buildingCorners(b)), (x, y, out) => {
      const u = (x - b.cx) * cos + (y - b.cy) * sin;
      const v = -(x - b.cx) * sin + (y - b.cy) * cos;
      let k = 0.95 + 0.1 * fbm(x, y, 3, 2, 91);
      if (b.style === "gable") {
        k *= Math.sign(v) === litSide ? 1.12 : 0.78;
        k *= 1 + 0.05 * Math.sin((u * 2 * Math.PI) / 0.9);
      } else {
        if (Math.abs(v) > hw - 0.7 || Math.abs(u) > hl - 0.7) k *= 0.82; // parapet
        const cell = ((u + hl) % 16) - 8; // stair and lift housings every 16 m
        if (Math.abs(cell) < 2 && Math.abs(v) < 2.2 && Math.abs(u) < hl - 4) k *= 1.15;
        else if (Math.abs(cell - 2.6) < 0.7 && Math.abs(v) < 2.2 && Math.abs(u) < hl - 4) k *= 0.7;
      }
      for (let i = 0; i < 4; i++) out[i] = b.roof[i] * k;
    });
  }
}
