/**
 * Built-in settings. Profiles follow the three imagery classes analysts use: very high
 * resolution (0.3-1.5 m aerial/commercial), high (2-7 m) and Sentinel-2-like (10 m and coarser).
 */
import type { ApiSettings, DetectionProfile, Settings } from "./schema.js";

const vhr: DetectionProfile = {
  name: "vhr",
  minGsdM: 0,
  maxGsdM: 1.5,
  smoothingRadiusPx: 2,
  openingRadiusPx: 1,
  closingRadiusPx: 1,
  thresholdFloor: 3,
  thresholdCeiling: 40,
  minAreaM2: 50,
  maxAreaM2: 200_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 3 },
};

const high: DetectionProfile = {
  name: "high",
  minGsdM: 1.5,
  maxGsdM: 7,
  smoothingRadiusPx: 1,
  openingRadiusPx: 1,
  closingRadiusPx: 1,
  thresholdFloor: 3,
  thresholdCeiling: 40,
  minAreaM2: 50,
  maxAreaM2: 1_000_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 3 },
};

const sentinel2: DetectionProfile = {
  name: "sentinel2",
  minGsdM: 7,
  maxGsdM: 1000,
  smoothingRadiusPx: 1,
  openingRadiusPx: 0,
  closingRadiusPx: 0,
  thresholdFloor: 2.5,
  thresholdCeiling: 40,
  minAreaM2: 200,
  maxAreaM2: 10_000_000,
  weights: { spectral: 1, brightness: 0.5, structure: 0.5, vegetation: 3 },
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
  sitesFile: "config/sites.json",
  scanPollMs: 2_000,
  queue: {
    prefix: "changewatch",
    // BullMQ's defaults: long enough that a worker busy planning a large pair still renews its locks.
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    maxStalledCount: 1,
    attempts: 3,
    backoffMs: 2_000,
    shutdownTimeoutMs: 60_000,
  },
};

export const defaultApiSettings: ApiSettings = {
  apiKey: null,
  // Loopback only until someone decides to expose the API.
  host: "127.0.0.1",
  port: 8080,
  allowedRoots: [],
  allowedUrlHosts: [],
  bodyLimitBytes: 64 * 1024,
};
