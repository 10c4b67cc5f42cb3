/**
 * Reads the watched sites file: JSON, checked against the site schema and against the
 * settings (profile names), with relative source folders resolved against the file's folder
 * so every worker finds the same images whatever its working directory.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError } from "../pipeline/errors.js";
import { formatIssues } from "./load.js";
import type { Settings } from "./schema.js";
import { sitesFileSchema, type SiteConfig } from "./site-schema.js";

/** Checks `json` as a sites file; `file` names it in messages and anchors relative folders. */
export function parseSites(json: unknown, file: string, settings: Pick<Settings, "profiles">): SiteConfig[] {
  const parsed = sitesFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${file}: ${formatIssues(parsed.error)}`);
  const known = settings.profiles.map((p) => p.name);
  return parsed.data.sites.map((site, i) => {
    if (site.profile !== null && !known.includes(site.profile)) {
      throw new ConfigError(
        `${file}: sites.${i}.profile: unknown profile "${site.profile}" (known: ${known.join(", ")})`,
      );
    }
    const path = site.source.path;
    return {
      ...site,
      source: { ...site.source, path: isAbsolute(path) ? path : resolve(dirname(resolve(file)), path) },
    };
  });
}

export async function loadSites(file: string, settings: Pick<Settings, "profiles">): Promise<SiteConfig[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ConfigError(
      `${file}: cannot read the sites file (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseSites(json, file, settings);
}

/** The site `id`, or a ConfigError listing the known ones. */
export function findSite(sites: readonly SiteConfig[], id: string): SiteConfig {
  const site = sites.find((s) => s.id === id);
  if (!site) {
    throw new ConfigError(`unknown site "${id}" (known: ${sites.map((s) => s.id).join(", ") || "none"})`);
  }
  return site;
}
