/** Settings and helpers shared by the queue tests. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../../config/load.js";
import { defaultSettings } from "../../config/defaults.js";
import type { QueueSettings, Settings } from "../../config/schema.js";
import type { Detection } from "../../pipeline/detect/detection.js";
import type { DetectionSummary } from "../../workers/assemble-processor.js";

export const SAMPLES = {
  hyesan: { before: "samples/hyesan/before.tif", after: "samples/hyesan/after.tif" },
  tumen: { before: "samples/tumen/before.tif", after: "samples/tumen/after.tif" },
} as const;

export async function tempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `changewatch-${name}-`));
}

/** Test settings: no environment, small tiles, short locks so a dead worker's job is retaken in seconds. */
export function queueTestSettings(
  redisUrl: string,
  prefix: string,
  dataDir: string,
  overrides: { tileSizePx?: number; queue?: Partial<QueueSettings> } = {},
): Settings {
  return loadSettings({
    env: {},
    overrides: {
      dataDir,
      redisUrl,
      tileSizePx: overrides.tileSizePx ?? 128,
      queue: {
        ...defaultSettings.queue,
        prefix,
        lockDurationMs: 2_000,
        stalledIntervalMs: 500,
        // Short locks on a loaded 2-core machine can lapse while a tile computes: let a
        // job be retaken a few times before BullMQ fails it as stalled for good.
        maxStalledCount: 5,
        backoffMs: 200,
        shutdownTimeoutMs: 20_000,
        ...overrides.queue,
      },
    },
  });
}

/** What must match between runners: id, class, area and pixel box of each detection. */
export function comparable(detections: readonly (Detection | DetectionSummary)[]) {
  return detections.map((d) => ({ id: d.id, class: d.class, areaM2: d.areaM2, bboxPx: d.bboxPx }));
}
