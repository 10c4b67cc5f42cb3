/**
 * The watched sites file (config/sites.json): each site's area of interest, imagery source,
 * schedule, detection profile and optional baseline. Strict like the settings schema:
 * unknown keys and bad values are rejected with the path of the field.
 */
import { z } from "zod";

/** Outlines closer than this (m) continue a track unless a site says otherwise. */
export const DEFAULT_TRACK_GAP_M = 5;

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const lonLat = z.tuple([lon, lat]);

/** A lon/lat bounding box, WGS84 degrees. */
const bboxAoiSchema = z
  .strictObject({
    type: z.literal("bbox"),
    bbox: z.tuple([lon, lat, lon, lat]).describe("[west, south, east, north], WGS84 degrees"),
  })
  .refine((a) => a.bbox[0] < a.bbox[2], { message: "west must be less than east", path: ["bbox"] })
  .refine((a) => a.bbox[1] < a.bbox[3], { message: "south must be less than north", path: ["bbox"] });

/** A GeoJSON Polygon (RFC 7946): one closed exterior ring of [lon, lat]; holes are not used. */
const polygonAoiSchema = z
  .strictObject({
    type: z.literal("Polygon"),
    coordinates: z.array(z.array(lonLat).min(4, "a ring needs at least 4 positions")).length(1, {
      message: "only the exterior ring is used: give exactly one ring",
    }),
  })
  .refine(
    (p) => {
      const ring = p.coordinates[0];
      const [first, last] = [ring[0], ring[ring.length - 1]];
      return first[0] === last[0] && first[1] === last[1];
    },
    { message: "the ring must be closed (last position equal to the first)", path: ["coordinates", 0] },
  );

export const aoiSchema = z
  .discriminatedUnion("type", [bboxAoiSchema, polygonAoiSchema])
  .describe("Area of interest: a lon/lat bounding box or a GeoJSON Polygon");

/** A folder where new acquisitions are dropped as GeoTIFFs named `YYYY-MM-DD*.tif` (or dated by their DateTime tag). */
const folderSourceSchema = z.strictObject({
  type: z.literal("folder"),
  path: z.string().min(1).describe("The folder; a relative path is resolved against the sites file's folder"),
});

/** Imagery sources by `type`; a STAC API source is added here as one more member. */
export const sourceSchema = z.discriminatedUnion("type", [folderSourceSchema]);

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("cron"),
    cron: z
      .string()
      .regex(/^\s*\S+(\s+\S+){4,5}\s*$/, "must be a cron expression of 5 fields (or 6 with seconds first)"),
    tz: z.string().refine(validTimeZone, "must be an IANA time zone such as Asia/Seoul"),
  }),
  z.strictObject({
    type: z.literal("every"),
    minutes: z.number().positive().describe("Interval between scans in minutes (fractions allowed)"),
  }),
]);

export const siteSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      "must be lower-case letters, digits and '-' (it names folders and jobs)",
    ),
  name: z.string().min(1).describe("For people: shown by `changewatch sites` and in reports"),
  aoi: aoiSchema,
  source: sourceSchema,
  schedule: scheduleSchema,
  profile: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe("Detection profile by name, or null to choose one by pixel size"),
  baseline: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .describe(
      "Fixed before image for every scan: an acquisition id (file name) or date (YYYY-MM-DD); null pairs each scan with the previous one",
    ),
  trackGapM: z
    .number()
    .min(0)
    .max(1000)
    .default(DEFAULT_TRACK_GAP_M)
    .describe("Outlines of consecutive scans closer than this (m) belong to the same track"),
});

export const sitesFileSchema = z.strictObject({ sites: z.array(siteSchema) }).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.sites.forEach((site, i) => {
    if (seen.has(site.id)) {
      ctx.addIssue({ code: "custom", message: `duplicate site id "${site.id}"`, path: ["sites", i, "id"] });
    }
    seen.add(site.id);
  });
});

export type Aoi = z.infer<typeof aoiSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type SiteConfig = z.infer<typeof siteSchema>;
export type SitesFile = z.infer<typeof sitesFileSchema>;
