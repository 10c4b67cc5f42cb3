import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../config/defaults.js";
import { loadSites, parseSites } from "../../config/load-sites.js";

const good = {
  id: "tumen",
  name: "Tumen road bridge",
  aoi: { type: "bbox", bbox: [130.6345, 42.4186, 130.6473, 42.4201] },
  source: { type: "folder", path: "imagery/tumen" },
  schedule: { type: "every", minutes: 360 },
};
const parse = (site: object) => parseSites({ sites: [site] }, "/etc/cw/sites.json", defaultSettings);

describe("sites file", () => {
  it("loads the shipped sites with their folders resolved against config/", async () => {
    const sites = await loadSites("config/sites.json", defaultSettings);
    expect(sites.map((s) => s.id)).toEqual(["hyesan", "tumen", "sinpung-dong"]);
    expect(sites[1].source.path).toMatch(/\/samples\/tumen\/acquisitions$/);
    expect(sites[1].baseline).toBe("2024-10-12");
  });

  it("fills defaults and resolves relative folders", () => {
    const [site] = parse(good);
    expect(site).toMatchObject({ profile: null, baseline: null, trackGapM: 5 });
    expect(site.source.path).toBe("/etc/cw/imagery/tumen");
  });

  it.each([
    [{ ...good, color: "red" }, 'sites.0: Unrecognized key: "color"'],
    [{ ...good, id: "Tumen Bridge" }, "sites.0.id: must be lower-case letters, digits and '-'"],
    [
      { ...good, aoi: { type: "bbox", bbox: [130.7, 42.4, 130.6, 42.5] } },
      "sites.0.aoi.bbox: west must be less than east",
    ],
    [{ ...good, aoi: { type: "bbox", bbox: [230, 42.4, 231, 42.5] } }, "sites.0.aoi.bbox.0: Too big"],
    [
      {
        ...good,
        aoi: {
          type: "Polygon",
          coordinates: [
            [
              [1, 1],
              [2, 1],
              [2, 2],
              [1, 2],
            ],
          ],
        },
      },
      "sites.0.aoi.coordinates.0: the ring must be closed",
    ],
    [
      { ...good, source: { type: "stac", url: "https://x" } },
      "sites.0.source.type: Invalid discriminator value. Expected 'folder'",
    ],
    [{ ...good, source: { type: "folder" } }, "sites.0.source.path: Invalid input"],
    [
      { ...good, schedule: { type: "cron", cron: "0 6 * * 1", tz: "Mars/Olympus" } },
      "sites.0.schedule.tz: must be an IANA time zone",
    ],
    [
      { ...good, schedule: { type: "cron", cron: "daily", tz: "UTC" } },
      "sites.0.schedule.cron: must be a cron expression",
    ],
    [{ ...good, schedule: { type: "every", minutes: 0 } }, "sites.0.schedule.minutes: Too small"],
    [{ ...good, profile: "ultra" }, 'sites.0.profile: unknown profile "ultra" (known: vhr, high, sentinel2)'],
  ])("rejects a bad site naming the field (%#)", (site, message) => {
    expect(() => parse(site)).toThrow(`/etc/cw/sites.json: ${message}`);
  });

  it("rejects duplicate ids", () => {
    expect(() => parseSites({ sites: [good, good] }, "s.json", defaultSettings)).toThrow(
      's.json: sites.1.id: duplicate site id "tumen"',
    );
  });
});
