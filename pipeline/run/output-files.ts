/** The files of a finished run's folder, the same for `detect --out` and a queued run's `runs/<runId>/`. */
export const OUTPUT_FILES = {
  geojson: "detections.geojson",
  csv: "detections.csv",
  mask: "change-mask.png",
  quicklook: "quicklook.png",
  record: "run.json",
  report: "report.html",
} as const;
