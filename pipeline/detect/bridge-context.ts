/**
 * Bridge context: piers are built in a line across a river. Foundations over water that
 * line up with at least two others are confirmed as a bridge and gain confidence.
 */
import type { Detection } from "./detection.js";

/** Largest distance (m) of a pier's centre from the line through two others for it to count as aligned. */
const LINE_TOLERANCE_M = 15;
/** Confidence added to foundations that belong to a chain. */
const CHAIN_BONUS = 0.15;

/**
 * Raises the confidence of bridge_foundation detections that are part of a chain of at
 * least three aligned ones; `gsdM` converts pixel distances to metres. Mutates and returns
 * the detections it confirmed.
 */
export function confirmBridgeChains(detections: Detection[], gsdM: number): Detection[] {
  const piers = detections.filter((d) => d.class === "bridge_foundation");
  const confirmed = new Set<Detection>();
  for (let i = 0; i < piers.length; i++) {
    for (let j = i + 1; j < piers.length; j++) {
      const [ax, ay] = piers[i].centroidPx;
      const [bx, by] = piers[j].centroidPx;
      const len = Math.hypot(bx - ax, by - ay);
      if (len === 0) continue;
      const onLine = piers.filter((p) => {
        const [px, py] = p.centroidPx;
        const dist = Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
        return dist * gsdM <= LINE_TOLERANCE_M;
      });
      if (onLine.length >= 3) for (const p of onLine) confirmed.add(p);
    }
  }
  for (const d of confirmed) {
    d.confidence = Math.min(1, Math.round((d.confidence + CHAIN_BONUS) * 1000) / 1000);
    d.reason += "; aligned with other piers across the river: bridge";
  }
  return [...confirmed];
}
