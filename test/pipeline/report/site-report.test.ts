import { describe, expect, it } from "vitest";
import { axisTicks } from "../../../pipeline/report/site-chart.js";
import { buildSiteReport } from "../../../pipeline/report/site-report.js";
import type { ScanRecord, SiteHistory, Track } from "../../../pipeline/sites/history.js";

const none = { apartment_block: 0, bridge_foundation: 0, earthworks: 0, demolition: 0, other: 0 };

function scan(
  runId: string,
  before: string,
  after: string,
  byClass: Partial<typeof none> | null,
): ScanRecord {
  const counts = byClass ? { ...none, ...byClass } : null;
  return {
    runId,
    runKey: `run-${runId}`,
    before: { id: `${before}.tif`, uri: `/imagery/${before}.tif`, acquiredAt: before },
    after: { id: `${after}.tif`, uri: `/imagery/${after}.tif`, acquiredAt: after },
    beforeIsBaseline: false,
    windowPx: { x: 0, y: 0, width: 100, height: 100 },
    status: counts ? "completed" : "failed",
    submittedAt: `${after}T12:00:00Z`,
    finishedAt: `${after}T12:05:00Z`,
    failedReason: counts ? null : "after.tif: file is truncated",
    counts: counts && { detections: Object.values(counts).reduce((a, b) => a + b, 0), byClass: counts },
    detections: [],
  };
}

const ring: [number, number][] = [
  [128.19, 41.39],
  [128.191, 41.39],
  [128.191, 41.391],
  [128.19, 41.39],
];

const track: Track = {
  id: "hyesan-1",
  class: "apartment_block",
  firstSeen: "2024-06-01",
  lastSeen: "2024-09-01",
  areaM2: 1500,
  polygon: ring,
  sightings: [
    {
      runId: "a",
      acquiredAt: "2024-06-01",
      detectionId: "d001",
      class: "earthworks",
      areaM2: 1000,
      confidence: 0.7,
    },
    {
      runId: "b",
      acquiredAt: "2024-09-01",
      detectionId: "d003",
      class: "apartment_block",
      areaM2: 1500,
      confidence: 0.9,
    },
  ],
};

const history: SiteHistory = {
  version: 1,
  siteId: "hyesan",
  updatedAt: "2024-09-02T00:00:00Z",
  scans: [
    scan("a", "2024-05-01", "2024-06-01", { earthworks: 2 }),
    scan("b", "2024-06-01", "2024-09-01", { apartment_block: 3, earthworks: 1 }),
    scan("c", "2024-09-01", "2024-10-01", null),
  ],
  tracks: [track],
};

describe("site report", () => {
  const html = buildSiteReport(history);

  it("lists every scan with its outcome and a relative link to the run's report", () => {
    expect(html).toContain("<h1>hyesan: 2024-06-01 → 2024-10-01</h1>");
    expect(html.match(/class="scan-row"/g)).toHaveLength(3);
    expect(html).toContain('<a href="../../runs/b/report.html">b</a>');
    expect(html).toContain("4 (3 apartment block, 1 earthworks)");
    expect(html).toContain("failed: after.tif: file is truncated");
  });

  it("draws one stacked bar per class per completed scan", () => {
    expect(html.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(html).toContain("<title>2024-09-01: 3 apartment block</title>");
    expect(html).not.toMatch(/<script|src="http/);
  });

  it("shows each track's first and last sighting and its area growth", () => {
    expect(html).toMatch(
      /<td>hyesan-1<\/td><td>apartment block<\/td><td>2024-06-01<\/td><td>2024-09-01<\/td><td class="num">2<\/td><td class="num">1,000<\/td><td class="num">1,500<\/td><td class="num">\+500 \(\+50%\)<\/td>/,
    );
  });

  it("keeps only scans and sightings since --since", () => {
    const later = buildSiteReport(history, { since: "2024-09-01" });
    expect(later.match(/class="scan-row"/g)).toHaveLength(2);
    expect(later).toContain('<td class="num">1</td><td class="num">1,500</td><td class="num">1,500</td>');
  });
});

describe("axisTicks", () => {
  it("rounds the axis to 1, 2 or 5 times a power of ten", () => {
    expect(axisTicks(0)).toEqual({ top: 1, step: 1 });
    expect(axisTicks(3)).toEqual({ top: 3, step: 1 });
    expect(axisTicks(17)).toEqual({ top: 20, step: 5 });
    expect(axisTicks(230)).toEqual({ top: 250, step: 50 });
  });
});
