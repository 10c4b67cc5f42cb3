/** Builds the imagery source a site's config names; a new source type is one more case here. */
import type { Settings } from "../../config/schema.js";
import type { SourceConfig } from "../../config/site-schema.js";
import { FolderSource } from "./folder-source.js";
import type { ImagerySource } from "./imagery-source.js";

export function openImagerySource(
  config: SourceConfig,
  settings: Pick<Settings, "maxPixels" | "maxBands">,
): ImagerySource {
  switch (config.type) {
    case "folder":
      return new FolderSource(config.path, { maxPixels: settings.maxPixels, maxBands: settings.maxBands });
  }
}
