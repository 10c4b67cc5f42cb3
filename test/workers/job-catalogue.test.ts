import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../config/defaults.js";
import { parsePayload, runParameters, tileJobId } from "../../workers/job-catalogue.js";
import { checkWiring, tileSandboxFile } from "../../workers/worker-pool.js";

const tile = {
  runId: "0123456789abcdef",
  runKey: "run-0123456789abcdef",
  tileIndex: 3,
  planPath: "/data/work/run-0123456789abcdef/plan.json",
  workDir: "/data/work/run-0123456789abcdef",
  maxPixels: 1000,
  maxBands: 4,
};

describe("job catalogue", () => {
  it("parses a valid payload", () => {
    expect(parsePayload("tile", { name: "tile", data: tile })).toEqual(tile);
  });

  it("fails a bad payload for good, naming the field", () => {
    const bad = () => parsePayload("tile", { name: "tile", data: { ...tile, tileIndex: -1, pixels: [1] } });
    expect(bad).toThrow(UnrecoverableError);
    expect(bad).toThrow(/^invalid tile job payload: tileIndex: .*; \(root\): Unrecognized key: "pixels"$/);
  });

  it("refuses a job meant for another processor", () => {
    expect(() => parsePayload("pair", { name: "tile", data: tile })).toThrow(
      'job "tile" reached the pair processor; it has no handler here',
    );
  });

  it("carries only the settings that shape results", () => {
    const parameters = runParameters(defaultSettings);
    expect(Object.keys(parameters)).not.toContain("redisUrl");
    expect(Object.keys(parameters)).not.toContain("queue");
    expect(parameters.tileSizePx).toBe(defaultSettings.tileSizePx);
    expect(tileJobId("run-0123456789abcdef", 7)).toBe("run-0123456789abcdef-t7");
  });
});

describe("worker wiring", () => {
  const processor = async () => undefined;

  const all = {
    pair: processor,
    tile: tileSandboxFile(),
    assemble: processor,
    scan: processor,
    "scan-record": processor,
  };

  it("accepts one processor per job", () => {
    expect(() => checkWiring(all)).not.toThrow();
  });

  it("names the fix when a job has no processor, an unknown one has, or the build is missing", () => {
    expect(() => checkWiring({ pair: processor, tile: tileSandboxFile() })).toThrow(
      'job "assemble" has no processor: add one to the wiring',
    );
    expect(() => checkWiring({ ...all, rescan: processor })).toThrow(
      'processor for unknown job "rescan": add it to workers/job-catalogue.ts',
    );
    expect(() => checkWiring({ ...all, tile: "/nowhere/tile.js" })).toThrow(
      "the tile processor /nowhere/tile.js does not exist: run `npm run build`",
    );
  });
});
