/**
 * Generates the bundled sample pairs: synthetic but realistic before/after scenes of the
 * Hyesan housing district and the Tumen road bridge, with ground truth. Deterministic:
 * seeded PRNGs only, so re-running gives byte-identical files. Run: npx tsx samples/generate.ts
 */

import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import sharp from "sharp";

import { converter, toLonLat } from "../pipeline/align/crs.js";
import { writeGeoTiff, type GeoTiffWriteOptions } from "../pipeline/raster/geotiff-writer.js";
import {
  Canvas,
  SHADOW,
  clamp01,
  convex,
  darken,
  distanceToPolyline,
  fbm,
  fillPerPixel,
  hash2,
  insidePolygon,
  mix,
  paint,
  paintBuildings,
  rectCorners,
  shadowOffset,
  shadowShape,
  smoothstep,
  toRgb8,
  toUint16Rgbn,
  valueNoise,
  type Building,
  type Grid,
  type Point,
  type Rgbn,
  type Sensor,
  type Sun,
} from "./scene-kit.js";

const EPSG = 32652; // WGS 84 / UTM zone 52N

export type TruthClass = "apartment_block" | "bridge_foundation" | "earthworks" | "demolition" | "other";

/** A new structure, as a polygon in local metres (X east, Y south of the before origin). */
export interface Structure {
  id: string;
  class: TruthClass;
  name: string;
  polygon: Point[];
}

/** One acquisition of a site: date, sun, season, water level, radiometry and grid. */
export interface Acquisition {
  /** TIFF DateTime, UTC. */
  dateTime: string;
  sun: Sun;
  /** 0 = bare branches, 1 = full summer canopy. */
  leafOn: number;
  /** 0 = fresh green, 1 = fully senescent (autumn yellow-brown). */
  senescence: number;
  /** Water level relative to the nominal bank line, metres (negative exposes more bank). */
  waterLevelM: number;
  /** Field parcel appearance by crop index (see CROP_STATES). */
  crops: readonly CropState[];
  sensor: Sensor;
  grid: Grid;
}

type CropState =
  "young-green" | "green" | "dense-green" | "stubble" | "ploughed" | "bare" | "meadow" | "dry-meadow";

// Reflectance (R, G, B, NIR) of the ground materials, from typical library spectra.
const M = {
  water: [0.045, 0.07, 0.075, 0.02],
  turbid: [0.08, 0.1, 0.085, 0.035],
  gravel: [0.3, 0.28, 0.25, 0.33],
  wetSand: [0.2, 0.18, 0.15, 0.22],
  soilDry: [0.3, 0.25, 0.19, 0.33],
  soilMoist: [0.2, 0.16, 0.12, 0.24],
  ploughed: [0.15, 0.12, 0.09, 0.2],
  green: [0.05, 0.11, 0.045, 0.45],
  youngGreen: [0.08, 0.13, 0.06, 0.36],
  stubble: [0.32, 0.27, 0.17, 0.36],
  dryGrass: [0.2, 0.19, 0.11, 0.3],
  leaf: [0.035, 0.075, 0.035, 0.42],
  autumnLeaf: [0.13, 0.1, 0.045, 0.3],
  branches: [0.11, 0.095, 0.08, 0.2],
  asphalt: [0.11, 0.11, 0.12, 0.13],
  dirtRoad: [0.27, 0.23, 0.18, 0.3],
  concrete: [0.42, 0.41, 0.39, 0.42],
  brightRoof: [0.5, 0.5, 0.48, 0.5],
  greyRoof: [0.3, 0.3, 0.31, 0.31],
  blueRoof: [0.12, 0.2, 0.32, 0.26],
  greenRoof: [0.13, 0.24, 0.17, 0.22],
  redRoof: [0.32, 0.13, 0.1, 0.3],
  rustRoof: [0.28, 0.17, 0.12, 0.27],
  steel: [0.13, 0.13, 0.14, 0.14],
  ballast: [0.22, 0.2, 0.18, 0.24],
  fill: [0.34, 0.28, 0.2, 0.31],
  mud: [0.16, 0.14, 0.11, 0.12],
} satisfies Record<string, Rgbn>;

/** Appearance of a field parcel at point (x, y); rows and furrows run across `v`. */
function cropColour(state: CropState, x: number, y: number, v: number, out: number[]): void {
  const n = fbm(x, y, 12, 3, 5);
  const fine = valueNoise(x * 1.7, y * 1.7, 6);
  const rows = 0.5 + 0.5 * Math.sin(v * 2 * Math.PI * 1.3); // 0.75 m row spacing
  let c: Rgbn;
  switch (state) {
    case "young-green":
      c = mix(M.soilMoist, M.youngGreen, 0.55 + 0.35 * rows * n);
      break;
    case "green":
      c = mix(M.youngGreen, M.green, 0.6 + 0.4 * n);
      break;
    case "dense-green":
      c = mix(M.green, M.youngGreen, 0.3 * fine);
      break;
    case "stubble":
      c = mix(M.stubble, M.soilDry, 0.25 * rows + 0.3 * n);
      break;
    case "ploughed":
      c = mix(M.ploughed, M.soilMoist, 0.2 + 0.6 * rows * (0.6 + 0.4 * fine));
      break;
    case "bare":
      c = mix(M.soilDry, M.soilMoist, 0.3 * rows + 0.4 * n);
      break;
    case "meadow":
      c = mix(M.green, M.youngGreen, 0.3 + 0.6 * n);
      break;
    case "dry-meadow":
      c = mix(M.dryGrass, M.youngGreen, 0.5 * n);
      break;
  }
  const k = 0.93 + 0.14 * fine;
  for (let i = 0; i < 4; i++) out[i] = c[i] * k;
}

/** A block of parcels: strips `stripM` wide across direction `angleDeg`, cut every `lengthM`. */
interface FieldBlock {
  angleDeg: number;
  stripM: number;
  lengthM: number;
  seed: number;
}

function parcelAt(f: FieldBlock, x: number, y: number): { id: number; u: number; v: number; edge: number } {
  const a = (f.angleDeg * Math.PI) / 180;
  const u = x * Math.cos(a) + y * Math.sin(a);
  // Boundaries wander a little, as hand-drawn parcels do.
  const v = -x * Math.sin(a) + y * Math.cos(a) + 4 * (valueNoise(u / 60, 0.5, f.seed) - 0.5);
  const iv = Math.floor(v / f.stripM);
  const iu = Math.floor((u + 37 * hash2(iv, 0, f.seed)) / f.lengthM);
  const fv = v / f.stripM - iv;
  const fu = (u + 37 * hash2(iv, 0, f.seed)) / f.lengthM - iu;
  const edge = Math.min(fv * f.stripM, (1 - fv) * f.stripM, fu * f.lengthM, (1 - fu) * f.lengthM);
  return { id: Math.floor(hash2(iu, iv, f.seed) * 1e6), u, v, edge };
}

function fieldColour(f: FieldBlock, acq: Acquisition, x: number, y: number, out: number[]): void {
  const p = parcelAt(f, x, y);
  const state = acq.crops[p.id % acq.crops.length];
  cropColour(state, x, y, p.v, out);
  if (p.edge < 1.2) {
    // Balks between parcels: a narrow grassy strip.
    const g = mix(M.dryGrass, M.green, 1 - acq.senescence);
    for (let i = 0; i < 4; i++) out[i] = out[i] * 0.4 + g[i] * 0.6;
  }
}

/** Tree crowns: 0-1 canopy cover at a point, given a density field 0-1. */
function crownAt(x: number, y: number, density: number, seed: number): number {
  if (density <= 0) return 0;
  const n = fbm(x, y, 5, 3, seed);
  return smoothstep(0.02, 0.09, n - (1 - density) * 0.55 - 0.22);
}

/** Blends trees (crowns with self-shading and cast shadows) into `out` at (x, y). */
function addTrees(
  acq: Acquisition,
  density: (x: number, y: number) => number,
  x: number,
  y: number,
  out: number[],
): void {
  const [dx, dy] = shadowOffset(acq.sun, 9);
  const here = crownAt(x, y, density(x, y), 11);
  let shade = 0;
  for (const t of [0.35, 0.7, 1]) {
    const sx = x - dx * t;
    const sy = y - dy * t;
    shade = Math.max(shade, crownAt(sx, sy, density(sx, sy), 11));
  }
  if (shade > 0) for (let i = 0; i < 4; i++) out[i] *= 1 - shade * (1 - SHADOW[i]) * 0.9;
  if (here <= 0) return;
  const leaf = mix(M.leaf, M.autumnLeaf, acq.senescence);
  const canopy = mix(M.branches, leaf, acq.leafOn);
  const lit = 0.7 + 0.5 * fbm(x + dx * 0.15, y + dy * 0.15, 1.6, 2, 12);
  for (let i = 0; i < 4; i++) out[i] += (canopy[i] * lit - out[i]) * here * (0.45 + 0.55 * acq.leafOn);
}

/** Blends a strip (road, track, embankment) with anti-aliased edges. */
function blendStrip(
  x: number,
  y: number,
  line: readonly Point[],
  widthM: number,
  c: Rgbn,
  px: number,
  out: number[],
) {
  const d = distanceToPolyline(line, x, y) - widthM / 2;
  const a = clamp01(0.5 - d / px);
  if (a <= 0) return;
  const k = 0.94 + 0.12 * valueNoise(x * 0.8, y * 0.8, 21);
  for (let i = 0; i < 4; i++) out[i] += (c[i] * k - out[i]) * a;
}

/** A water surface: sediment plumes, flow streaks along the river (Y or X), small ripples. */
function waterColour(x: number, y: number, flowAlongY: boolean, out: number[]): void {
  const plume = fbm(x, y, 220, 3, 31);
  const streak = flowAlongY ? valueNoise(x / 6, y / 90, 32) : valueNoise(x / 90, y / 6, 32);
  const c = mix(M.water, M.turbid, clamp01(plume * 1.3 - 0.2 + 0.15 * streak));
  const ripple = 0.97 + 0.06 * valueNoise(x * 1.3, y * 1.3, 33);
  for (let i = 0; i < 4; i++) out[i] = c[i] * ripple;
}

/** Sub-pixel misregistration of an after image: features appear at (+dx, +dy) pixels. */
export interface Shift {
  dxPx: number;
  dyPx: number;
}

/** The grid that renders `nominal` with its content displaced by `shift`. */
function shiftedGrid(nominal: Grid, shift: Shift): Grid {
  return {
    ...nominal,
    x0: nominal.x0 - shift.dxPx * nominal.pixelSizeM,
    y0: nominal.y0 - shift.dyPx * nominal.pixelSizeM,
  };
}

/* ------------------------------------------------------------------------------------------
 * Hyesan: the "soldier city" housing district on the Yalu. 500 m x 400 m at 0.5 m.
 * ---------------------------------------------------------------------------------------- */

const HYESAN_RIVER: Point[] = [
  [-60, 40],
  [100, 33],
  [250, 44],
  [400, 52],
  [560, 45],
];
const HYESAN_RIVER_HALF_WIDTH_M = 28;
const HYESAN_BANK_TOP_M = 36;
const HYESAN_RIVERSIDE_ROAD: Point[] = HYESAN_RIVER.map(([x, y]) => [x, y + 52]);
const HYESAN_MAIN_ROAD: Point[] = [
  [240, 90],
  [242, 250],
  [238, 420],
];
const HYESAN_STREETS: Point[][] = [
  [
    [-10, 182],
    [240, 178],
  ],
  [
    [-10, 262],
    [240, 258],
  ],
];
const HYESAN_TRACKS: Point[][] = [
  [
    [240, 328],
    [510, 332],
  ],
  [
    [240, 205],
    [262, 205],
  ],
];
const HYESAN_FIELDS: FieldBlock = { angleDeg: 4, stripM: 34, lengthM: 140, seed: 41 };
/** Cleared ground of the district, already stripped before the first image. */
const HYESAN_SITE: Point[] = [
  [255, 108],
  [492, 116],
  [492, 322],
  [255, 322],
];

function hyesanExisting(): Building[] {
  const apartments: Building[] = [
    { cx: 55, cy: 128, lengthM: 60, widthM: 12, angleDeg: 0, heightM: 15, roof: M.greyRoof, style: "flat" },
    { cx: 150, cy: 130, lengthM: 56, widthM: 12, angleDeg: 0, heightM: 18, roof: M.greenRoof, style: "flat" },
    { cx: 205, cy: 150, lengthM: 40, widthM: 11, angleDeg: 90, heightM: 15, roof: M.greyRoof, style: "flat" },
    { cx: 30, cy: 220, lengthM: 50, widthM: 12, angleDeg: 90, heightM: 15, roof: M.blueRoof, style: "flat" },
    { cx: 95, cy: 212, lengthM: 55, widthM: 12, angleDeg: 0, heightM: 15, roof: M.greyRoof, style: "flat" },
    { cx: 172, cy: 214, lengthM: 55, widthM: 13, angleDeg: 0, heightM: 18, roof: M.concrete, style: "flat" },
    { cx: 205, cy: 240, lengthM: 28, widthM: 17, angleDeg: 0, heightM: 8, roof: M.rustRoof, style: "gable" },
  ];
  const houses: Building[] = [];
  const roofs = [M.redRoof, M.blueRoof, M.greyRoof, M.rustRoof, M.greenRoof];
  for (let gy = 0; gy < 6; gy++) {
    for (let gx = 0; gx < 10; gx++) {
      const h = hash2(gx, gy, 77);
      if (h < 0.18) continue;
      houses.push({
        cx: 16 + gx * 22 + 3 * (hash2(gx, gy, 78) - 0.5),
        cy: 282 + gy * 20 + 2 * (hash2(gx, gy, 79) - 0.5),
        lengthM: 9 + 2 * hash2(gx, gy, 80),
        widthM: 6.5,
        angleDeg: 4 * (hash2(gx, gy, 81) - 0.5),
        heightM: 4,
        roof: roofs[Math.floor(h * 97) % roofs.length],
        style: "gable",
      });
    }
  }
  return [...apartments, ...houses];
}

interface NewBuilding {
  structure: Structure;
  parts: Building[];
}

function hyesanNew(): NewBuilding[] {
  const slab = (id: string, name: string, b: Omit<Building, "style">): NewBuilding => {
    const building: Building = { ...b, style: "flat" };
    return {
      structure: {
        id,
        class: "apartment_block",
        name,
        polygon: rectCorners(b.cx, b.cy, b.lengthM, b.widthM, b.angleDeg),
      },
      parts: [building],
    };
  };
  const blocks = [
    slab("hyesan-01", "Apartment block A", {
      cx: 300,
      cy: 142,
      lengthM: 62,
      widthM: 14,
      angleDeg: 0,
      heightM: 18,
      roof: M.brightRoof,
    }),
    slab("hyesan-02", "Apartment block B", {
      cx: 382,
      cy: 146,
      lengthM: 60,
      widthM: 14,
      angleDeg: 2,
      heightM: 18,
      roof: M.brightRoof,
    }),
    slab("hyesan-03", "Apartment block C", {
      cx: 452,
      cy: 182,
      lengthM: 56,
      widthM: 13,
      angleDeg: 90,
      heightM: 15,
      roof: M.concrete,
    }),
    slab("hyesan-04", "Apartment block D", {
      cx: 312,
      cy: 232,
      lengthM: 66,
      widthM: 15,
      angleDeg: 20,
      heightM: 21,
      roof: M.brightRoof,
    }),
    slab("hyesan-05", "Apartment block E", {
      cx: 398,
      cy: 240,
      lengthM: 52,
      widthM: 12,
      angleDeg: 20,
      heightM: 15,
      roof: M.blueRoof,
    }),
    slab("hyesan-06", "Apartment block F", {
      cx: 472,
      cy: 262,
      lengthM: 55,
      widthM: 13,
      angleDeg: 90,
      heightM: 15,
      roof: M.brightRoof,
    }),
  ];
  // School: an L of a 40 m x 12 m wing and a 12 m x 18 m wing.
  const school: NewBuilding = {
    structure: {
      id: "hyesan-07",
      class: "other",
      name: "School (L-shaped)",
      polygon: [
        [265, 282],
        [305, 282],
        [305, 294],
        [277, 294],
        [277, 312],
        [265, 312],
      ],
    },
    parts: [
      {
        cx: 285,
        cy: 288,
        lengthM: 40,
        widthM: 12,
        angleDeg: 0,
        heightM: 12,
        roof: M.greenRoof,
        style: "flat",
      },
      {
        cx: 271,
        cy: 303,
        lengthM: 18,
        widthM: 12,
        angleDeg: 90,
        heightM: 12,
        roof: M.greenRoof,
        style: "flat",
      },
    ],
  };
  const culture: NewBuilding = {
    structure: {
      id: "hyesan-08",
      class: "other",
      name: "Cultural centre",
      polygon: rectCorners(358, 296, 35, 34, 0),
    },
    parts: [
      {
        cx: 358,
        cy: 296,
        lengthM: 35,
        widthM: 34,
        angleDeg: 0,
        heightM: 14,
        roof: M.brightRoof,
        style: "flat",
      },
    ],
  };
  return [...blocks, school, culture];
}

function hyesanGround(acq: Acquisition, x: number, y: number, out: number[]): void {
  const px = acq.grid.pixelSizeM;
  const d = distanceToPolyline(HYESAN_RIVER, x, y);
  const waterHalf =
    HYESAN_RIVER_HALF_WIDTH_M + acq.waterLevelM + 1.5 * (valueNoise(x / 25, y / 25, 51) - 0.5);
  const site = insidePolygon(HYESAN_SITE, x, y);
  if (d < HYESAN_BANK_TOP_M) {
    // Gravel bank, wet near the water line.
    const g = mix(M.gravel, M.wetSand, smoothstep(waterHalf + 4, waterHalf, d));
    const k = 0.9 + 0.2 * valueNoise(x * 1.5, y * 1.5, 52);
    for (let i = 0; i < 4; i++) out[i] = g[i] * k;
  } else if (site) {
    // Compacted, cleared ground with tyre tracks; wetter and darker in spring.
    const soil = mix(M.soilDry, M.soilMoist, 0.35 + 0.4 * (1 - acq.senescence) + 0.2 * fbm(x, y, 20, 3, 53));
    const warp = 14 * valueNoise(x / 50, y / 50, 54);
    const t1 =
      Math.abs(Math.sin((x * 0.8 + y * 0.6 + warp) / 2.2)) > 0.985 && valueNoise(x / 35, y / 35, 59) > 0.6;
    const t2 =
      Math.abs(Math.sin((x * 0.3 - y * 0.95 + warp) / 2.2)) > 0.985 && valueNoise(x / 35, y / 35, 60) > 0.62;
    const tracks = t1 || t2 ? 0.82 : 1;
    const pad = smoothstep(0.6, 0.68, fbm(x, y, 30, 2, 61));
    for (let i = 0; i < 4; i++) soil[i] += (M.gravel[i] - soil[i]) * pad * 0.6;
    for (let i = 0; i < 4; i++) out[i] = soil[i] * tracks * (0.95 + 0.1 * valueNoise(x, y, 55));
  } else if (x > 246 && y > 330) {
    fieldColour(HYESAN_FIELDS, acq, x, y, out);
  } else {
    // Town ground: trampled grass, gardens and dirt yards.
    const yard = fbm(x, y, 18, 3, 56);
    const grass = mix(M.dryGrass, M.green, (1 - acq.senescence) * 0.7);
    const g = mix(grass, M.dirtRoad, smoothstep(0.45, 0.65, yard));
    const garden = y > 270 && hash2(Math.floor(x / 11), Math.floor(y / 10), 57) < 0.5;
    const c = garden ? mix(g, acq.crops[1] === "ploughed" ? M.ploughed : M.youngGreen, 0.6) : g;
    for (let i = 0; i < 4; i++) out[i] = c[i] * (0.94 + 0.12 * valueNoise(x * 1.2, y * 1.2, 58));
  }
  if (d < waterHalf + px) {
    const a = clamp01((waterHalf - d) / px + 0.5);
    const w = [0, 0, 0, 0];
    waterColour(x, y, false, w);
    for (let i = 0; i < 4; i++) out[i] += (w[i] - out[i]) * a;
  }
  for (const t of HYESAN_TRACKS) blendStrip(x, y, t, 5, M.dirtRoad, px, out);
  blendStrip(x, y, HYESAN_RIVERSIDE_ROAD, 9, M.asphalt, px, out);
  blendStrip(x, y, HYESAN_MAIN_ROAD, 10, M.asphalt, px, out);
  for (const s of HYESAN_STREETS) blendStrip(x, y, s, 7, M.asphalt, px, out);
  addTrees(acq, hyesanTreeDensity, x, y, out);
}

function hyesanTreeDensity(x: number, y: number): number {
  const d = distanceToPolyline(HYESAN_RIVER, x, y);
  if (d < HYESAN_BANK_TOP_M + 1) return x < 0 || d > 20 ? (y < 20 ? 0.8 : 0) : 0; // far bank only
  if (distanceToPolyline(HYESAN_RIVERSIDE_ROAD, x, y) < 7) return 0;
  if (d < 47) return 0.75; // riparian strip between the bank and the road
  if (insidePolygon(HYESAN_SITE, x, y)) return 0;
  const roadside = Math.abs(distanceToPolyline(HYESAN_MAIN_ROAD, x, y) - 9) < 2.5 && y > 100;
  if (roadside) return 0.9;
  if (x > 440 && y > 345) return 0.85; // woodlot
  if (x < 235 && y > 268) return 0.3; // garden trees
  return 0;
}

export const HYESAN_BEFORE: Omit<Acquisition, "grid"> = {
  dateTime: "2024:05:10 02:31:07",
  sun: { azimuthDeg: 150, elevationDeg: 63 },
  leafOn: 0.45,
  senescence: 0,
  waterLevelM: 0,
  crops: ["young-green", "ploughed", "bare", "meadow", "young-green", "ploughed"],
  sensor: {
    gain: [1, 1, 1, 1],
    offset: [0.012, 0.015, 0.022, 0.01],
    haze: [0.004, 0.005, 0.007, 0.002],
    hazeScaleM: 400,
    noiseDn: 1.6,
    seed: 1001,
  },
};

export const HYESAN_AFTER: Omit<Acquisition, "grid"> = {
  dateTime: "2025:09:18 02:44:52",
  sun: { azimuthDeg: 160, elevationDeg: 47 },
  leafOn: 1,
  senescence: 0.3,
  waterLevelM: -3,
  // Same parcels: wheat harvested to stubble, potatoes and maize grown, a meadow ploughed.
  crops: ["stubble", "green", "dense-green", "ploughed", "stubble", "dry-meadow"],
  sensor: {
    gain: [1.08, 1.03, 0.94, 1.05],
    offset: [0.02, 0.022, 0.03, 0.012],
    haze: [0.03, 0.034, 0.045, 0.012],
    hazeScaleM: 300,
    noiseDn: 2.2,
    seed: 2002,
  },
};

export const HYESAN_SHIFT: Shift = { dxPx: 1.3, dyPx: -0.8 };

/** Renders Hyesan reflectance on `acq.grid`, with the new district when `built`. */
export function renderHyesan(acq: Acquisition, built: boolean): Canvas {
  const canvas = new Canvas(acq.grid);
  fillPerPixel(canvas, (x, y, out) => hyesanGround(acq, x, y, out));
  const buildings = hyesanExisting();
  if (built) for (const b of hyesanNew()) buildings.push(...b.parts);
  paintBuildings(canvas, buildings, acq.sun);
  return canvas;
}

/* ------------------------------------------------------------------------------------------
 * Tumen: the Russia-DPRK road bridge. 1300 m x 700 m at 1 m; the river flows north-south.
 * ---------------------------------------------------------------------------------------- */

/** Nominal water edges (X at a given Y) of the west (DPRK) and east (Russian) banks. */
const tumenWestBank = (y: number): number => 195 + 22 * Math.sin(y / 170);
const tumenEastBank = (y: number): number => 1095 + 18 * Math.sin(y / 140 + 1);
/** Width of the beach between the bank top (vegetation) and the nominal water edge, metres. */
const TUMEN_BEACH_M = 10;
const TUMEN_OLD_BRIDGE: Point[] = [
  [120, 236],
  [1180, 222],
];
const TUMEN_RAIL: Point[][] = [
  [
    [-20, 244],
    [120, 236],
  ],
  [
    [1180, 222],
    [1320, 212],
  ],
];
const TUMEN_WEST_ROAD: Point[] = [
  [88, -20],
  [92, 300],
  [80, 720],
];
const TUMEN_EAST_ROAD: Point[] = [
  [1250, -20],
  [1244, 380],
  [1256, 720],
];
/** Axis of the new road bridge, from the west abutment to the east abutment. */
const TUMEN_NEW_AXIS: readonly [Point, Point] = [
  [tumenWestBank(445) + 8, 445],
  [tumenEastBank(410) - 8, 410],
];
/** A gravel bar: an ellipse 50 m x 170 m, a little irregular. */
const TUMEN_ISLAND: Point[] = Array.from({ length: 24 }, (_, k): Point => {
  const t = (k / 24) * 2 * Math.PI;
  const r = 1 + 0.12 * Math.sin(3 * t + 1);
  return [815 + 25 * r * Math.cos(t), 605 + 85 * r * Math.sin(t)];
});
const TUMEN_FIELDS_WEST: FieldBlock = { angleDeg: -6, stripM: 45, lengthM: 170, seed: 61 };
const TUMEN_FIELDS_EAST: FieldBlock = { angleDeg: 8, stripM: 55, lengthM: 120, seed: 62 };
/** Pier spacing along the new axis and the maximum number of piers from each bank. */
const TUMEN_PIER_SPACING_M = 55;
const TUMEN_PIERS_PER_BANK = 8;

function alongAxis(s: number): Point {
  const [[x1, y1], [x2, y2]] = TUMEN_NEW_AXIS;
  const len = Math.hypot(x2 - x1, y2 - y1);
  return [x1 + ((x2 - x1) * s) / len, y1 + ((y2 - y1) * s) / len];
}

function axisAngleDeg(): number {
  const [[x1, y1], [x2, y2]] = TUMEN_NEW_AXIS;
  return (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
}

function axisLength(): number {
  const [[x1, y1], [x2, y2]] = TUMEN_NEW_AXIS;
  return Math.hypot(x2 - x1, y2 - y1);
}

/**
 * The new construction at the Tumen bridge for a given progress 0-1: piers advance from both
 * banks (west first), a cofferdam marks the next east pier, the west land-fill appears from
 * 0.15 and the east access road from 0.25. A dated series can be rendered by varying it.
 */
export function tumenStructures(progress: number): Structure[] {
  const p = clamp01(progress);
  const angle = axisAngleDeg();
  const len = axisLength();
  const structures: Structure[] = [];
  const west = Math.floor(p * (TUMEN_PIERS_PER_BANK + 1.4));
  const east = Math.floor(p * (TUMEN_PIERS_PER_BANK + 0.2));
  const pier = (id: string, name: string, s: number): Structure => {
    const [cx, cy] = alongAxis(s);
    return { id, class: "bridge_foundation", name, polygon: rectCorners(cx, cy, 6, 10, angle) };
  };
  for (let k = 0; k < Math.min(west, TUMEN_PIERS_PER_BANK); k++) {
    structures.push(pier(`tumen-w${k + 1}`, `Pier W${k + 1} (DPRK side)`, 60 + k * TUMEN_PIER_SPACING_M));
  }
  for (let k = 0; k < Math.min(east, TUMEN_PIERS_PER_BANK); k++) {
    structures.push(
      pier(`tumen-e${k + 1}`, `Pier E${k + 1} (Russian side)`, len - 50 - k * TUMEN_PIER_SPACING_M),
    );
  }
  if (p > 0 && east < TUMEN_PIERS_PER_BANK) {
    const [cx, cy] = alongAxis(len - 50 - east * TUMEN_PIER_SPACING_M);
    structures.push({
      id: "tumen-cofferdam",
      class: "bridge_foundation",
      name: `Cofferdam for pier E${east + 1}`,
      polygon: rectCorners(cx, cy, 25, 15, angle),
    });
  }
  if (p >= 0.15) {
    const [ax, ay] = TUMEN_NEW_AXIS[0];
    structures.push({
      id: "tumen-landfill",
      class: "earthworks",
      name: "Land-fill at the west abutment",
      polygon: [
        [ax - 14, ay - 40],
        [ax + 26, ay - 40],
        [ax + 26, ay + 40],
        [ax - 14, ay + 40],
      ],
    });
  }
  if (p >= 0.25) {
    const [bx, by] = TUMEN_NEW_AXIS[1];
    const from: Point = [1244, 372];
    const to: Point = [bx - 6, by + 0.5];
    const cx = (from[0] + to[0]) / 2;
    const cy = (from[1] + to[1]) / 2;
    const a = (Math.atan2(to[1] - from[1], to[0] - from[0]) * 180) / Math.PI;
    structures.push({
      id: "tumen-access-road",
      class: "earthworks",
      name: "New access road (Russian side)",
      polygon: rectCorners(cx, cy, Math.hypot(to[0] - from[0], to[1] - from[1]), 10, a),
    });
  }
  return structures;
}

function tumenTreeDensity(x: number, y: number): number {
  const w = tumenWestBank(y);
  const e = tumenEastBank(y);
  if (x > w - TUMEN_BEACH_M - 2 && x < e + TUMEN_BEACH_M + 2) return 0;
  for (const r of TUMEN_RAIL) if (distanceToPolyline(r, x, y) < 9) return 0;
  if (distanceToPolyline(TUMEN_WEST_ROAD, x, y) < 7 || distanceToPolyline(TUMEN_EAST_ROAD, x, y) < 8)
    return 0;
  const fromBank = x < w ? w - TUMEN_BEACH_M - x : x - e - TUMEN_BEACH_M;
  if (fromBank < 28) return 0.85 * (0.6 + 0.4 * valueNoise(x / 40, y / 40, 63)); // willow scrub
  if (x < 150 && y > 60 && y < 210) return 0.35; // village gardens
  return 0;
}

function tumenGround(acq: Acquisition, x: number, y: number, out: number[]): void {
  const px = acq.grid.pixelSizeM;
  const w = tumenWestBank(y);
  const e = tumenEastBank(y);
  const wobble = 1.5 * (valueNoise(x / 20, y / 20, 64) - 0.5);
  const waterW = w - acq.waterLevelM + wobble;
  const waterE = e + acq.waterLevelM + wobble;
  if (x > w - TUMEN_BEACH_M && x < e + TUMEN_BEACH_M) {
    const g = mix(M.gravel, M.wetSand, 0.3 + 0.5 * valueNoise(x / 5, y / 5, 65));
    for (let i = 0; i < 4; i++) out[i] = g[i];
  } else if (x < w) {
    if (x < 150 && y < 215) {
      const grass = mix(M.dryGrass, M.green, (1 - acq.senescence) * 0.8);
      const c = mix(grass, M.dirtRoad, smoothstep(0.5, 0.7, fbm(x, y, 15, 3, 66)));
      for (let i = 0; i < 4; i++) out[i] = c[i];
    } else {
      fieldColour(TUMEN_FIELDS_WEST, acq, x, y, out);
    }
  } else {
    const meadow = x < e + 70;
    if (meadow) cropColour(acq.crops[0], x, y, x, out);
    else fieldColour(TUMEN_FIELDS_EAST, acq, x, y, out);
  }
  // Water between the edges, minus the island, whose exposed size follows the level.
  const island =
    insidePolygon(TUMEN_ISLAND, x, y) || distanceToPolygonEdges(TUMEN_ISLAND, x, y) < -acq.waterLevelM;
  const inWater = Math.min(x - waterW, waterE - x);
  if (inWater > -px && !island) {
    const a = clamp01(inWater / px + 0.5);
    const c = [0, 0, 0, 0];
    waterColour(x, y, true, c);
    for (let i = 0; i < 4; i++) out[i] += (c[i] - out[i]) * a;
  } else if (island) {
    const g = mix(M.wetSand, M.gravel, fbm(x, y, 12, 3, 67));
    for (let i = 0; i < 4; i++) out[i] = g[i] * (0.95 + 0.1 * valueNoise(x, y, 68));
  }
  for (const r of TUMEN_RAIL) {
    blendStrip(x, y, r, 9, M.ballast, px, out);
    for (const off of [-0.8, 0.8])
      blendStrip(
        x,
        y,
        r.map(([a, b]) => [a, b + off]),
        0.6,
        M.steel,
        px,
        out,
      );
  }
  blendStrip(x, y, TUMEN_WEST_ROAD, 7, M.asphalt, px, out);
  blendStrip(x, y, TUMEN_EAST_ROAD, 8, M.asphalt, px, out);
  addTrees(acq, tumenTreeDensity, x, y, out);
}

function distanceToPolygonEdges(poly: readonly Point[], x: number, y: number): number {
  return distanceToPolyline([...poly, poly[0]], x, y);
}

function tumenExisting(): Building[] {
  const roofs = [M.redRoof, M.greyRoof, M.blueRoof, M.rustRoof];
  const houses: Building[] = [
    { cx: 60, cy: 222, lengthM: 42, widthM: 12, angleDeg: -3, heightM: 7, roof: M.greenRoof, style: "gable" },
  ];
  for (let gy = 0; gy < 6; gy++) {
    for (let gx = 0; gx < 5; gx++) {
      const h = hash2(gx, gy, 71);
      if (h < 0.3) continue;
      houses.push({
        cx: 22 + gx * 26 + (gx > 2 ? 10 : 0),
        cy: 75 + gy * 22 + 3 * (hash2(gx, gy, 72) - 0.5),
        lengthM: 10,
        widthM: 7,
        angleDeg: -3 + 4 * (hash2(gx, gy, 73) - 0.5),
        heightM: 4,
        roof: roofs[Math.floor(h * 89) % roofs.length],
        style: "gable",
      });
    }
  }
  return houses;
}

/** The Friendship rail bridge: piers, a truss deck 12 m above the water, and their shadows. */
function paintOldBridge(canvas: Canvas, sun: Sun): void {
  const [[x1, y1], [x2, y2]] = TUMEN_OLD_BRIDGE;
  const len = Math.hypot(x2 - x1, y2 - y1);
  const angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
  const piers: Point[][] = [];
  for (let s = 95; s < len - 60; s += 66) {
    piers.push(rectCorners(x1 + ((x2 - x1) * s) / len, y1 + ((y2 - y1) * s) / len, 5, 10, angle));
  }
  const deck = rectCorners((x1 + x2) / 2, (y1 + y2) / 2, len, 6, angle);
  const [dx, dy] = shadowOffset(sun, 12);
  darken(canvas, convex(deck.map(([x, y]): Point => [x + dx, y + dy])), SHADOW);
  for (const p of piers) darken(canvas, shadowShape(p, sun, 11), SHADOW);
  for (const p of piers)
    paint(canvas, convex(p), (_x, _y, out) => M.concrete.forEach((v, i) => (out[i] = v * 0.9)));
  const a = (angle * Math.PI) / 180;
  paint(canvas, convex(deck), (x, y, out) => {
    const u = (x - x1) * Math.cos(a) + (y - y1) * Math.sin(a);
    const v = -(x - x1) * Math.sin(a) + (y - y1) * Math.cos(a);
    // Truss: chords along both edges, diagonals every 8 m.
    const chord = Math.abs(Math.abs(v) - 2.6) < 0.6;
    const diag = Math.abs((((u + v * 1.5) % 8) + 8) % 8) < 0.9;
    const c = chord || diag ? M.steel : mix(M.ballast, M.steel, 0.4);
    for (let i = 0; i < 4; i++) out[i] = c[i];
  });
}

/** Paints the construction for `progress` (see tumenStructures), with shadows. */
function paintTumenWorks(canvas: Canvas, sun: Sun, progress: number): void {
  const structures = tumenStructures(progress);
  for (const s of structures) {
    if (s.id === "tumen-landfill") {
      paint(canvas, convex(s.polygon), (x, y, out) => {
        const c = mix(M.fill, M.soilMoist, 0.4 * fbm(x, y, 10, 3, 81));
        const ruts = Math.abs(Math.sin(y / 2.3 + valueNoise(x / 15, y / 15, 82) * 3)) > 0.96 ? 0.85 : 1;
        for (let i = 0; i < 4; i++) out[i] = c[i] * ruts;
      });
    } else if (s.id === "tumen-access-road") {
      paint(canvas, convex(s.polygon), (x, y, out) => {
        const c = mix(M.fill, M.asphalt, 0.25 + 0.25 * valueNoise(x / 3, y / 3, 83));
        for (let i = 0; i < 4; i++) out[i] = c[i];
      });
    }
  }
  for (const s of structures) {
    if (s.class !== "bridge_foundation") continue;
    if (s.id === "tumen-cofferdam") {
      darken(canvas, shadowShape(s.polygon, sun, 2), SHADOW);
      paint(canvas, convex(s.polygon), (_x, _y, out) => M.steel.forEach((v, i) => (out[i] = v * 1.3)));
      const inner = rectCorners(...centroid(s.polygon), 21, 11, axisAngleDeg());
      paint(canvas, convex(inner), (x, y, out) => {
        const c = mix(M.mud, M.turbid, 0.5 * valueNoise(x / 3, y / 3, 84));
        for (let i = 0; i < 4; i++) out[i] = c[i];
      });
    } else {
      darken(canvas, shadowShape(s.polygon, sun, 6), SHADOW);
      paint(canvas, convex(s.polygon), (x, y, out) => {
        const k = 0.92 + 0.12 * valueNoise(x * 2, y * 2, 85);
        for (let i = 0; i < 4; i++) out[i] = M.concrete[i] * k;
      });
    }
  }
}

function centroid(poly: readonly Point[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const p of poly) {
    x += p[0];
    y += p[1];
  }
  return [x / poly.length, y / poly.length];
}

export const TUMEN_BEFORE: Omit<Acquisition, "grid"> = {
  dateTime: "2024:10:12 02:12:40",
  sun: { azimuthDeg: 158, elevationDeg: 38 },
  leafOn: 0.85,
  senescence: 0.75,
  waterLevelM: -5,
  crops: ["dry-meadow", "stubble", "ploughed", "bare", "stubble", "dry-meadow"],
  sensor: {
    gain: [1, 1, 1, 1],
    offset: [0.01, 0.014, 0.02, 0.006],
    haze: [0.006, 0.007, 0.01, 0.003],
    hazeScaleM: 600,
    noiseDn: 8,
    seed: 3003,
  },
};

export const TUMEN_AFTER: Omit<Acquisition, "grid"> = {
  dateTime: "2025:07:26 02:05:18",
  sun: { azimuthDeg: 140, elevationDeg: 66 },
  leafOn: 1,
  senescence: 0,
  waterLevelM: 2,
  crops: ["meadow", "dense-green", "green", "young-green", "green", "meadow"],
  sensor: {
    gain: [0.93, 0.97, 1.04, 1.1],
    offset: [0.018, 0.02, 0.028, 0.008],
    haze: [0.025, 0.03, 0.04, 0.01],
    hazeScaleM: 500,
    noiseDn: 10,
    seed: 4004,
  },
};

export const TUMEN_SHIFT: Shift = { dxPx: -1.6, dyPx: 1.1 };
/** Construction progress shown by the bundled after image. */
export const TUMEN_AFTER_PROGRESS = 0.6;

/** Renders Tumen reflectance on `acq.grid` with the new bridge works at `progress` (0 = none). */
export function renderTumen(acq: Acquisition, progress: number): Canvas {
  const canvas = new Canvas(acq.grid);
  fillPerPixel(canvas, (x, y, out) => tumenGround(acq, x, y, out));
  paintBuildings(canvas, tumenExisting(), acq.sun);
  if (progress > 0) paintTumenWorks(canvas, acq.sun, progress);
  paintOldBridge(canvas, acq.sun);
  return canvas;
}

/* ------------------------------------------------------------------------------------------
 * Output: GeoTIFFs, truth GeoJSON and mask.
 * ---------------------------------------------------------------------------------------- */

/** UTM origin (top-left corner of the before image), snapped to whole metres. */
function utmOrigin(lon: number, lat: number, widthM: number, heightM: number): [number, number] {
  const [x, y] = converter(4326, EPSG)(lon, lat);
  return [Math.round(x - widthM / 2), Math.round(y + heightM / 2)];
}

function truthGeoJson(structures: readonly Structure[], origin: [number, number]): string {
  const toWgs84 = toLonLat(EPSG);
  const round = (v: number): number => Math.round(v * 1e8) / 1e8;
  const features = structures.map((s) => {
    // RFC 7946: exterior rings counter-clockwise in lon/lat (X east, Y north).
    let ring = s.polygon.map(([x, y]): [number, number] => [origin[0] + x, origin[1] - y]);
    let area = 0;
    for (let i = 0; i < ring.length; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % ring.length];
      area += x1 * y2 - x2 * y1;
    }
    if (area < 0) ring = ring.reverse();
    const coords = ring.map(([x, y]) => toWgs84(x, y).map(round));
    coords.push(coords[0]);
    return {
      type: "Feature",
      properties: { id: s.id, class: s.class, name: s.name, area_m2: Math.round(Math.abs(area) / 2) },
      geometry: { type: "Polygon", coordinates: [coords] },
    };
  });
  return `${JSON.stringify({ type: "FeatureCollection", features }, null, 2)}\n`;
}

/** 255 where a pixel centre of `grid` lies inside a structure, else 0. */
function truthMask(structures: readonly Structure[], grid: Grid): Uint8Array {
  const mask = new Uint8Array(grid.width * grid.height);
  for (const s of structures) {
    const xs = s.polygon.map((p) => p[0]);
    const ys = s.polygon.map((p) => p[1]);
    const c0 = Math.max(0, Math.floor((Math.min(...xs) - grid.x0) / grid.pixelSizeM));
    const c1 = Math.min(grid.width - 1, Math.ceil((Math.max(...xs) - grid.x0) / grid.pixelSizeM));
    const r0 = Math.max(0, Math.floor((Math.min(...ys) - grid.y0) / grid.pixelSizeM));
    const r1 = Math.min(grid.height - 1, Math.ceil((Math.max(...ys) - grid.y0) / grid.pixelSizeM));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const x = grid.x0 + (c + 0.5) * grid.pixelSizeM;
        const y = grid.y0 + (r + 0.5) * grid.pixelSizeM;
        if (insidePolygon(s.polygon, x, y)) mask[r * grid.width + c] = 255;
      }
    }
  }
  return mask;
}

async function writeAtomically(path: string, bytes: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

interface PairSpec {
  folder: string;
  origin: [number, number];
  before: Acquisition;
  after: Acquisition;
  /** The after image's nominal grid (its geotransform), before misregistration. */
  afterNominal: Grid;
  beforePixels: Uint8Array | Uint16Array;
  afterPixels: Uint8Array | Uint16Array;
  bands: number;
  sampleType: "uint8" | "uint16";
  structures: Structure[];
}

async function writePair(spec: PairSpec): Promise<void> {
  await mkdir(spec.folder, { recursive: true });
  const tiffOptions = (grid: Grid, acq: Acquisition, tiled: boolean): GeoTiffWriteOptions => ({
    width: grid.width,
    height: grid.height,
    bands: spec.bands,
    sampleType: spec.sampleType,
    compression: "deflate",
    predictor: 2,
    ...(tiled ? { tileSizePx: 256 } : { rowsPerStrip: 64 }),
    epsg: EPSG,
    transform: {
      originX: spec.origin[0] + grid.x0,
      originY: spec.origin[1] - grid.y0,
      pixelWidth: grid.pixelSizeM,
      pixelHeight: -grid.pixelSizeM,
    },
    dateTime: acq.dateTime,
  });
  await writeGeoTiff(
    join(spec.folder, "before.tif"),
    spec.beforePixels,
    tiffOptions(spec.before.grid, spec.before, false),
  );
  await writeGeoTiff(
    join(spec.folder, "after.tif"),
    spec.afterPixels,
    tiffOptions(spec.afterNominal, spec.after, true),
  );
  await writeAtomically(join(spec.folder, "truth.geojson"), truthGeoJson(spec.structures, spec.origin));
  const grid = spec.before.grid;
  const mask = await sharp(Buffer.from(truthMask(spec.structures, grid)), {
    raw: { width: grid.width, height: grid.height, channels: 1 },
  })
    .toColourspace("b-w")
    .png({ compressionLevel: 9 })
    .toBuffer();
  await writeAtomically(join(spec.folder, "truth-mask.png"), mask);
}

export async function generateHyesan(folder: string): Promise<void> {
  const widthPx = 1000;
  const heightPx = 800;
  const ps = 0.5;
  const origin = utmOrigin(128.19, 41.39, widthPx * ps, heightPx * ps);
  const grid: Grid = { x0: 0, y0: 0, pixelSizeM: ps, width: widthPx, height: heightPx };
  const before: Acquisition = { ...HYESAN_BEFORE, grid };
  const after: Acquisition = { ...HYESAN_AFTER, grid: shiftedGrid(grid, HYESAN_SHIFT) };
  await writePair({
    folder,
    origin,
    before,
    after,
    afterNominal: grid,
    beforePixels: toRgb8(renderHyesan(before, false), before.sensor),
    afterPixels: toRgb8(renderHyesan(after, true), after.sensor),
    bands: 3,
    sampleType: "uint8",
    structures: hyesanNew().map((b) => b.structure),
  });
}

export async function generateTumen(folder: string): Promise<void> {
  const ps = 1;
  const origin = utmOrigin(130.64, 42.42, 1300, 700);
  const beforeGrid: Grid = { x0: 0, y0: 0, pixelSizeM: ps, width: 1300, height: 700 };
  // The after scene was cut differently: 23 m east, 17 m south, and a different size.
  const afterNominal: Grid = { x0: 23, y0: 17, pixelSizeM: ps, width: 1292, height: 706 };
  const before: Acquisition = { ...TUMEN_BEFORE, grid: beforeGrid };
  const after: Acquisition = { ...TUMEN_AFTER, grid: shiftedGrid(afterNominal, TUMEN_SHIFT) };
  await writePair({
    folder,
    origin,
    before,
    after,
    afterNominal,
    beforePixels: toUint16Rgbn(renderTumen(before, 0), before.sensor),
    afterPixels: toUint16Rgbn(renderTumen(after, TUMEN_AFTER_PROGRESS), after.sensor),
    bands: 4,
    sampleType: "uint16",
    structures: tumenStructures(TUMEN_AFTER_PROGRESS),
  });
}

/** One image of the Tumen series: its look (season, sun, sensor), misregistration and progress. */
interface SeriesImage {
  file: string;
  look: Omit<Acquisition, "grid">;
  shift: Shift;
  progress: number;
}

/**
 * The Tumen series: four acquisitions a few months apart over 14 months, the bridge works
 * advancing from nothing to 0.9. Seasons alternate between the two looks of the pair, each
 * with its own date, sun, water level, sensor noise and misregistration.
 */
const TUMEN_SERIES: readonly SeriesImage[] = [
  { file: "2024-10-12-tumen.tif", look: TUMEN_BEFORE, shift: { dxPx: 0, dyPx: 0 }, progress: 0 },
  {
    file: "2025-05-30-tumen.tif",
    look: {
      ...TUMEN_AFTER,
      dateTime: "2025:05:30 02:09:51",
      sun: { azimuthDeg: 137, elevationDeg: 68 },
      waterLevelM: 0,
      sensor: { ...TUMEN_AFTER.sensor, seed: 5005 },
    },
    shift: { dxPx: 0.9, dyPx: -1.2 },
    progress: 0.3,
  },
  { file: "2025-07-26-tumen.tif", look: TUMEN_AFTER, shift: TUMEN_SHIFT, progress: 0.6 },
  {
    file: "2025-10-04-tumen.tif",
    look: {
      ...TUMEN_BEFORE,
      dateTime: "2025:10:04 02:17:33",
      sun: { azimuthDeg: 155, elevationDeg: 42 },
      sensor: { ...TUMEN_BEFORE.sensor, seed: 6006 },
    },
    shift: { dxPx: -0.7, dyPx: 0.6 },
    progress: 0.9,
  },
];

/**
 * The bridge corridor of the Tumen scene, in local metres of the pair's before image: both
 * banks, the land-fill and the east access road, 1120 m x 200 m (about 1.8 MB per image).
 */
const TUMEN_SERIES_GRID: Grid = { x0: 150, y0: 320, pixelSizeM: 1, width: 1120, height: 200 };

/**
 * Writes the dated Tumen series into `folder` as `YYYY-MM-DD-tumen.tif`: the watched-site
 * scans' sample imagery. Same CRS, format and georeference conventions as the pair.
 */
export async function generateTumenSeries(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const origin = utmOrigin(130.64, 42.42, 1300, 700);
  const grid = TUMEN_SERIES_GRID;
  for (const image of TUMEN_SERIES) {
    const acq: Acquisition = { ...image.look, grid: shiftedGrid(grid, image.shift) };
    await writeGeoTiff(join(folder, image.file), toUint16Rgbn(renderTumen(acq, image.progress), acq.sensor), {
      width: grid.width,
      height: grid.height,
      bands: 4,
      sampleType: "uint16",
      compression: "deflate",
      predictor: 2,
      tileSizePx: 256,
      epsg: EPSG,
      transform: {
        originX: origin[0] + grid.x0,
        originY: origin[1] - grid.y0,
        pixelWidth: grid.pixelSizeM,
        pixelHeight: -grid.pixelSizeM,
      },
      dateTime: image.look.dateTime,
    });
  }
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  await generateHyesan(join(here, "hyesan"));
  await generateTumen(join(here, "tumen"));
  await generateTumenSeries(join(here, "tumen", "acquisitions"));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
