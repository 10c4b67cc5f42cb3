import { describe, expect, it } from "vitest";
import type { Aoi } from "../../config/site-schema.js";
import { choosePair } from "../../pipeline/sites/choose-pair.js";
import { emptyHistory, type SiteHistory } from "../../pipeline/sites/history.js";
import type { Acquisition } from "../../pipeline/sites/imagery-source.js";
import { startScan } from "../../pipeline/sites/record-scan.js";

const aoi: Aoi = { type: "bbox", bbox: [10.1, 20.1, 10.2, 20.2] };
const cover: [number, number][] = [
  [10, 20],
  [10.3, 20],
  [10.3, 20.3],
  [10, 20.3],
  [10, 20],
];
const acq = (date: string, footprint: [number, number][] | null = cover): Acquisition => ({
  id: `${date}.tif`,
  uri: `/img/${date}.tif`,
  acquiredAt: date,
  footprint,
});
const site = (baseline: string | null = null) => ({ id: "s", aoi, baseline });
const ref = ({ id, uri, acquiredAt }: Acquisition) => ({ id, uri, acquiredAt });
const scanned = (
  history: SiteHistory,
  before: Acquisition,
  after: Acquisition,
  status: "completed" | "failed",
) => {
  const h = startScan(history, {
    runId: `${before.id}-${after.id}`,
    runKey: "run-0000000000000000",
    before: ref(before),
    after: ref(after),
    beforeIsBaseline: false,
    windowPx: { x: 0, y: 0, width: 1, height: 1 },
  });
  return { ...h, scans: h.scans.map((s) => ({ ...s, status })) };
};

describe("choosePair", () => {
  const [a, b, c] = [acq("2025-01-01"), acq("2025-02-01"), acq("2025-03-01")];

  it("waits for a second image, then pairs the two newest", () => {
    expect(choosePair(site(), [a], emptyHistory("s"))).toEqual({
      kind: "nothing-new",
      reason: "only 2025-01-01.tif covers the area of interest: waiting for a second",
    });
    expect(choosePair(site(), [a, b, c], emptyHistory("s"))).toMatchObject({
      kind: "pair",
      before: b,
      after: c,
    });
  });

  it("continues from the last completed scan and never repeats a pair", () => {
    const h = scanned(emptyHistory("s"), a, b, "completed");
    expect(choosePair(site(), [a, b], h)).toEqual({
      kind: "nothing-new",
      reason: "no acquisition newer than 2025-02-01.tif",
    });
    expect(choosePair(site(), [a, b, c], h)).toMatchObject({ kind: "pair", before: b, after: c });
    const failed = scanned(h, b, c, "failed");
    expect(choosePair(site(), [a, b, c], failed)).toMatchObject({ kind: "nothing-new" });
  });

  it("pairs every new image with the baseline, by date or file name", () => {
    expect(choosePair(site("2025-01-01"), [a, b, c], emptyHistory("s"))).toMatchObject({
      kind: "pair",
      before: a,
      after: c,
      beforeIsBaseline: true,
    });
    expect(choosePair(site("2025-03-01.tif"), [a, b, c], emptyHistory("s"))).toMatchObject({
      kind: "nothing-new",
    });
    expect(() => choosePair(site("2024-12-24"), [a, b], emptyHistory("s"))).toThrow(
      'site s: baseline "2024-12-24" is not among the acquisitions that cover its area of interest',
    );
  });

  it("ignores images that do not cover the whole area of interest", () => {
    const partial = acq("2025-04-01", [
      [10.15, 20],
      [10.3, 20],
      [10.3, 20.3],
      [10.15, 20.3],
      [10.15, 20],
    ]);
    expect(choosePair(site(), [a, b, partial], emptyHistory("s"))).toMatchObject({ kind: "pair", after: b });
    expect(choosePair(site(), [acq("2025-05-01", null)], emptyHistory("s"))).toMatchObject({
      kind: "nothing-new",
    });
  });
});
