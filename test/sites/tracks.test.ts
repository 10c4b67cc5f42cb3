import { describe, expect, it } from "vitest";
import { outlineOverlap, updateTracks, type TrackedDetection } from "../../pipeline/sites/tracks.js";

type Ring = [number, number][];
const square = (x: number, y: number, s: number): Ring => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
// About 1 m per 1e-5 degree of latitude here; outlines are a few metres across.
const DEG = 1e-5;
const detection = (id: string, x: number, y: number, s: number): TrackedDetection => ({
  detectionId: id,
  class: "bridge_foundation",
  confidence: 0.9,
  areaM2: s * s,
  centroid: [130.64 + (x + s / 2) * DEG, 42.42 + (y + s / 2) * DEG],
  polygon: square(130.64 + x * DEG, 42.42 + y * DEG, s * DEG),
});

describe("outlineOverlap", () => {
  it("is the share of the second outline near the first", () => {
    expect(outlineOverlap(square(0, 0, 10), square(0, 0, 10), 0)).toBe(1);
    expect(outlineOverlap(square(0, 0, 10), square(5, 0, 10), 0)).toBeCloseTo(0.5, 1);
    expect(outlineOverlap(square(0, 0, 10), square(12, 0, 10), 0)).toBe(0);
    expect(outlineOverlap(square(0, 0, 10), square(12, 0, 10), 3)).toBeGreaterThan(0);
  });
});

describe("updateTracks", () => {
  const options = { siteId: "tumen", gapM: 2 };

  it("keeps identities of growing structures and starts tracks for new ones", () => {
    const first = updateTracks(
      [],
      [detection("d1", 0, 0, 10), detection("d2", 100, 0, 10)],
      {
        runId: "r1",
        acquiredAt: "2025-05-30",
      },
      options,
    );
    expect([...first.trackOf.values()]).toEqual(["tumen-1", "tumen-2"]);
    const second = updateTracks(
      first.tracks,
      [detection("e1", 0, 0, 14), detection("e2", 100, 0, 10), detection("e3", 300, 0, 10)],
      { runId: "r2", acquiredAt: "2025-07-26" },
      options,
    );
    expect(Object.fromEntries(second.trackOf)).toEqual({ e1: "tumen-1", e2: "tumen-2", e3: "tumen-3" });
    const grown = second.tracks[0];
    expect(grown).toMatchObject({ firstSeen: "2025-05-30", lastSeen: "2025-07-26", areaM2: 196 });
    expect(grown.sightings.map((s) => [s.runId, s.detectionId, s.areaM2])).toEqual([
      ["r1", "d1", 100],
      ["r2", "e1", 196],
    ]);
    expect(first.tracks[0].sightings).toHaveLength(1);
  });

  it("gives one track one detection per scan: the larger overlap wins", () => {
    const { tracks } = updateTracks(
      [],
      [detection("d1", 0, 0, 10)],
      { runId: "r1", acquiredAt: "1" },
      options,
    );
    const next = updateTracks(
      tracks,
      [detection("a", 5, 0, 10), detection("b", 1, 0, 10)],
      {
        runId: "r2",
        acquiredAt: "2",
      },
      options,
    );
    expect(Object.fromEntries(next.trackOf)).toEqual({ a: "tumen-2", b: "tumen-1" });
  });
});
