/**
 * Where a watched site's images come from. A source lists the acquisitions it holds with
 * their dates and footprints; the scan logic picks pairs from that list and never looks
 * inside the source, so a STAC API source is one more implementation of this interface.
 */

export interface Acquisition {
  /** Stable id within the source (a folder: the file name; STAC: the item id). */
  id: string;
  /** Absolute path or http(s) URL of the image, as the pipeline opens it. */
  uri: string;
  /** When the image was taken, ISO 8601; a date alone (YYYY-MM-DD) when only the day is known. */
  acquiredAt: string;
  /** The image's outline as a closed WGS84 [lon, lat] ring, or null when it has no geo-reference. */
  footprint: [number, number][] | null;
}

/** An acquisition the source holds but cannot offer, and why (shown to the analyst). */
export interface SkippedFile {
  id: string;
  reason: string;
}

export interface AcquisitionList {
  /** Oldest first; ties in time are ordered by id. */
  acquisitions: Acquisition[];
  skipped: SkippedFile[];
}

export interface ImagerySource {
  /** Describes the source in messages: "folder /srv/imagery/tumen". */
  readonly description: string;
  list(signal?: AbortSignal): Promise<AcquisitionList>;
}

/** Orders acquisitions oldest first, ties by id, so every scan sees the same sequence. */
export function byAcquisitionTime(a: Acquisition, b: Acquisition): number {
  return a.acquiredAt < b.acquiredAt ? -1 : a.acquiredAt > b.acquiredAt ? 1 : a.id.localeCompare(b.id);
}
