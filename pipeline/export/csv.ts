/**
 * CSV export (RFC 4180): one row per detection with the same properties as the GeoJSON,
 * the centroid split into columns and the outline as WKT so QGIS can load it directly.
 */
import type { Detection } from "../detect/detection.js";
import { detectionProperties, PROPERTY_NAMES } from "./geojson.js";

function cell(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(detections: readonly Detection[], options: { geographic: boolean }): string {
  const [cx, cy] = options.geographic ? ["centroid_lon", "centroid_lat"] : ["centroid_x", "centroid_y"];
  const header = [...PROPERTY_NAMES, cx, cy, "bbox_min_x", "bbox_min_y", "bbox_max_x", "bbox_max_y", "wkt"];
  const rows = detections.map((d) => {
    const wkt = `POLYGON((${d.polygon.map(([x, y]) => `${x} ${y}`).join(", ")}))`;
    return [...Object.values(detectionProperties(d)), d.centroid[0], d.centroid[1], ...d.bboxPx, wkt]
      .map(cell)
      .join(",");
  });
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}
