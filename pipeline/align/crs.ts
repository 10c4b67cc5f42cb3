/**
 * Coordinate reference systems by EPSG code, through proj4: WGS84 (4326), Web Mercator
 * (3857) and every WGS84 UTM zone (326xx north, 327xx south), defined programmatically.
 */
import proj4 from "proj4";

export type Converter = (x: number, y: number) => [number, number];

/** The proj4 definition of an EPSG code, or null when changewatch does not know it. */
export function projDefinition(epsg: number): string | null {
  if (epsg === 4326) return "+proj=longlat +datum=WGS84 +no_defs";
  if (epsg === 3857) {
    return "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs";
  }
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760)
    return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  return null;
}

export function isKnownEpsg(epsg: number): boolean {
  return projDefinition(epsg) !== null;
}

/** A function converting coordinates from one EPSG CRS to another; throws for unknown codes. */
export function converter(fromEpsg: number, toEpsg: number): Converter {
  if (fromEpsg === toEpsg) return (x, y) => [x, y];
  const from = projDefinition(fromEpsg);
  const to = projDefinition(toEpsg);
  if (from === null) throw new RangeError(`Unsupported CRS EPSG:${fromEpsg}`);
  if (to === null) throw new RangeError(`Unsupported CRS EPSG:${toEpsg}`);
  const p = proj4(from, to);
  return (x, y) => {
    const [ox, oy] = p.forward([x, y]);
    return [ox, oy];
  };
}

/** Converter from a CRS to WGS84 longitude/latitude. */
export function toLonLat(epsg: number): Converter {
  return converter(epsg, 4326);
}

/**
 * Converter from pixel coordinates of a raster (corners at integers) to WGS84 lon/lat, or
 * the identity when the raster has no geo-reference (results then stay in pixel units).
 */
/** What pixel/lon-lat conversions need of a raster: its CRS and geo-transform, if any. */
export interface GeoReference {
  epsg: number | null;
  transform: { originX: number; originY: number; pixelWidth: number; pixelHeight: number } | null;
}

/** True when a raster can be placed on the Earth (an EPSG code and a geo-transform). */
export function isGeoReferenced(info: GeoReference): boolean {
  return info.epsg !== null && info.transform !== null;
}

export function pixelToLonLat(info: GeoReference): { convert: Converter; geographic: boolean } {
  const { epsg, transform } = info;
  if (epsg === null || transform === null) return { convert: (x, y) => [x, y], geographic: false };
  const lonLat = toLonLat(epsg);
  return {
    convert: (x, y) =>
      lonLat(transform.originX + x * transform.pixelWidth, transform.originY + y * transform.pixelHeight),
    geographic: true,
  };
}

/**
 * The inverse of pixelToLonLat: WGS84 lon/lat to pixel coordinates of a raster (corners at
 * integers), or null when the raster has no geo-reference.
 */
export function lonLatToPixel(info: GeoReference): Converter | null {
  const { epsg, transform } = info;
  if (epsg === null || transform === null) return null;
  const fromLonLat = converter(4326, epsg);
  return (lon, lat) => {
    const [x, y] = fromLonLat(lon, lat);
    return [(x - transform.originX) / transform.pixelWidth, (y - transform.originY) / transform.pixelHeight];
  };
}
