/**
 * Resolves settings from the built-in defaults, an optional JSON file and environment
 * variables (in that order of precedence, last wins). This is the only module that reads
 * `process.env`; everything else receives a validated Settings object.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../pipeline/errors.js";
import { defaultSettings } from "./defaults.js";
import { type DetectionProfile, type Settings, settingsFileSchema, settingsSchema } from "./schema.js";

export interface LoadSettingsOptions {
  /** Settings file; defaults to $CHANGEWATCH_CONFIG when set. */
  file?: string;
  /** Environment to read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Values that override everything else (command-line flags). */
  overrides?: Partial<Settings>;
}

/** Formats zod issues as `path.to.field: message`, one per line. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

function readSettingsFile(file: string): Partial<Settings> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(
      `${file}: cannot read settings file (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = settingsFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${file}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

function settingsFromEnv(env: NodeJS.ProcessEnv): Partial<Settings> {
  const out: Record<string, unknown> = {};
  if (env.CHANGEWATCH_DATA_DIR) out.dataDir = env.CHANGEWATCH_DATA_DIR;
  if (env.REDIS_URL) out.redisUrl = env.REDIS_URL;
  if (env.CHANGEWATCH_TILE_SIZE_PX) out.tileSizePx = Number(env.CHANGEWATCH_TILE_SIZE_PX);
  if (env.CHANGEWATCH_MAX_PIXELS) out.maxPixels = Number(env.CHANGEWATCH_MAX_PIXELS);
  return out;
}

export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const file = options.file ?? env.CHANGEWATCH_CONFIG;
  const merged = {
    ...defaultSettings,
    ...(file ? readSettingsFile(file) : {}),
    ...settingsFromEnv(env),
    ...options.overrides,
  };
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid settings: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/** The profile whose pixel-size range holds `gsdM`, or the one named `name`. */
export function chooseProfile(settings: Settings, gsdM: number, name?: string): DetectionProfile {
  if (name !== undefined) {
    const named = settings.profiles.find((p) => p.name === name);
    if (!named) {
      const known = settings.profiles.map((p) => p.name).join(", ");
      throw new ConfigError(`unknown profile "${name}" (known: ${known})`);
    }
    return named;
  }
  const match = settings.profiles.find((p) => gsdM >= p.minGsdM && gsdM < p.maxGsdM);
  if (!match) throw new ConfigError(`no detection profile covers a pixel size of ${gsdM} m`);
  return match;
}
