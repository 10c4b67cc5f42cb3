/**
 * Tracks: one structure followed across scans. A completed scan's detections join the
 * tracks whose latest outline they overlap (within `gapM` metres), one detection per track,
 * the largest overlaps first; the rest start new tracks. Outlines are compared as cell sets
 * on a small metric grid (UTM) around each candidate pair.
 */
import { converter } from "../align/crs.js";
import { dilate } from "../core/morphology.js";
import { forEachPixelInPolygon } from "../core/polygon-fill.js";
import type { DetectionClass } from "../detect/detection.js";
import type { Track } from "./history.js";

/** A detection of a completed run, as tracking needs it. */
export interface TrackedDetection {
  detectionId: string;
  class: DetectionClass;
  confidence: number;
  areaM2: number;
  centroid: [number, number];
  /** Closed WGS84 [lon, lat] ring. */
  polygon: [number, number][];
}

export interface TrackingOptions {
  siteId: string;
  /** Outlines closer than this (m) count as overlapping. */
  gapM: number;
}

/** Longest side of the comparison grid, in cells: fine enough for piers, cheap for districts. */
const GRID_CELLS = 256;
/** Finest comparison cell, m. */
const MIN_CELL_M = 0.25;

type Ring = [number, number][];

/** The WGS84 UTM zone (EPSG code) of a lon/lat point. */
function utmEpsg(lon: number, lat: number): number {
  const zone = Math.min(60, Math.floor((lon + 180) / 6) + 1);
  return (lat >= 0 ? 32600 : 32700) + zone;
}

function bounds(ring: Ring): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Share (0-1) of `b`'s cells that lie within `gapM` of `a`; both rings in metres. 0 when
 * they are farther apart than the gap.
 */
export function outlineOverlap(a: Ring, b: Ring, gapM: number): number {
  const [ax0, ay0, ax1, ay1] = bounds(a);
  const [bx0, by0, bx1, by1] = bounds(b);
  if (ax0 - gapM > bx1 || bx0 > ax1 + gapM || ay0 - gapM > by1 || by0 > ay1 + gapM) return 0;
  const x0 = Math.min(ax0, bx0) - gapM;
  const y1 = Math.max(ay1, by1) + gapM;
  const spanM = Math.max(Math.max(ax1, bx1) + gapM - x0, y1 - (Math.min(ay0, by0) - gapM));
  const cell = Math.max(MIN_CELL_M, spanM / GRID_CELLS);
  const size = Math.ceil(spanM / cell) + 1;
  const toGrid = (ring: Ring): Ring => ring.map(([x, y]) => [(x - x0) / cell, (y1 - y) / cell]);
  const maskA = new Uint8Array(size * size);
  forEachPixelInPolygon(toGrid(a), size, size, (x, y) => (maskA[y * size + x] = 1));
  const radius = Math.ceil(gapM / cell);
  const near = new Uint8Array(size * size);
  if (radius > 0) dilate(maskA, size, size, radius, near, new Uint8Array(size * size));
  else near.set(maskA);
  let inB = 0;
  let shared = 0;
  forEachPixelInPolygon(toGrid(b), size, size, (x, y) => {
    inB++;
    if (near[y * size + x] !== 0) shared++;
  });
  return inB === 0 ? 0 : shared / inB;
}

export interface TrackUpdate {
  tracks: Track[];
  /** Detection id → track id. */
  trackOf: Map<string, string>;
}

/** Adds one completed scan's detections to the tracks; returns new arrays, the input is not changed. */
export function updateTracks(
  tracks: readonly Track[],
  detections: readonly TrackedDetection[],
  scan: { runId: string; acquiredAt: string },
  options: TrackingOptions,
): TrackUpdate {
  const next = tracks.map((t) => ({ ...t, sightings: [...t.sightings] }));
  const trackOf = new Map<string, string>();
  if (detections.length === 0) return { tracks: next, trackOf };
  const [lon, lat] = detections[0].centroid;
  const toM = converter(4326, utmEpsg(lon, lat));
  const metres = (ring: Ring): Ring => ring.map(([x, y]) => toM(x, y));
  const trackRings = next.map((t) => metres(t.polygon));
  const detectionRings = detections.map((d) => metres(d.polygon));

  const candidates: { t: number; d: number; score: number }[] = [];
  trackRings.forEach((tr, t) =>
    detectionRings.forEach((dr, d) => {
      // Symmetric: a growing structure covers its old outline; a shrinking one lies inside it.
      const score = Math.max(outlineOverlap(tr, dr, options.gapM), outlineOverlap(dr, tr, options.gapM));
      if (score > 0) candidates.push({ t, d, score });
    }),
  );
  candidates.sort((p, q) => q.score - p.score || p.t - q.t || p.d - q.d);
  const usedTrack = new Set<number>();
  const trackIndexOf = new Map<number, number>();
  for (const c of candidates) {
    if (usedTrack.has(c.t) || trackIndexOf.has(c.d)) continue;
    usedTrack.add(c.t);
    trackIndexOf.set(c.d, c.t);
  }
  detections.forEach((d, k) => {
    const sighting = {
      runId: scan.runId,
      acquiredAt: scan.acquiredAt,
      detectionId: d.detectionId,
      class: d.class,
      areaM2: d.areaM2,
      confidence: d.confidence,
    };
    const t = trackIndexOf.get(k);
    let track: Track;
    if (t === undefined) {
      track = {
        id: `${options.siteId}-${next.length + 1}`,
        class: d.class,
        firstSeen: scan.acquiredAt,
        lastSeen: scan.acquiredAt,
        areaM2: d.areaM2,
        polygon: d.polygon,
        sightings: [sighting],
      };
      next.push(track);
    } else {
      track = next[t];
      Object.assign(track, {
        class: d.class,
        lastSeen: scan.acquiredAt,
        areaM2: d.areaM2,
        polygon: d.polygon,
      });
      track.sightings.push(sighting);
    }
    trackOf.set(d.detectionId, track.id);
  });
  return { tracks: next, trackOf };
}
