/**
 * Built-in settings. Profiles follow the three imagery classes analysts use: very high
 * resolution (0.3-1.5 m aerial/commercial), high (2-7 m) and Sentinel-2-like (10 m and coarser).
 */
import type { DetectionProfile, Settings } from "./schema.js";

const vhr: DetectionProfile = {
  name: "vhr",
  minGsdM: 0,
  maxGsdM: 1.5,
  smoothingRadiusPx: 2,
  openingRadiusPx: 1,
  closingRadiusPx: 1,
  thresholdFloor: 3,
  thresholdCeiling: 12,
  minAreaM2: 50,
  maxAreaM2: 200_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 1 },
};

const high: DetectionProfile = {
  name: "high",
  minGsdM: 1.5,
  maxGsdM: 7,
  smoothingRadiusPx: 1,
  openingRadiusPx: 1,
  closingRadiusPx: 1,
  thresholdFloor: 3,
  thresholdCeiling: 12,
  minAreaM2: 50,
  maxAreaM2: 1_000_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 1 },
};

const sentinel2: DetectionProfile = {
  name: "sentinel2",
  minGsdM: 7,
  maxGsdM: 1000,
  smoothingRadiusPx: 1,
  openingRadiusPx: 0,
  closingRadiusPx: 0,
  thresholdFloor: 2.5,
  thresholdCeiling: 12,
  minAreaM2: 200,
  maxAreaM2: 10_000_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 1 },
};

export const defaultSettings: Settings = {
  dataDir: "./data",
  redisUrl: "redis://127.0.0.1:6379",
  tileSizePx: 1024,
  maxPixels: 1_000_000_000,
  maxBands: 32,
  shiftPatchSizePx: 256,
  shiftPatches: 9,
  sampleBlocks: 16,
  sampleBlockSizePx: 256,
  quicklookMaxPx: 2048,
  profiles: [vhr, high, sentinel2],
};
