/**
 * Resolves settings from the built-in defaults, an optional JSON file and environment
 * variables (in that order of precedence, last wins). This is the only module that reads
 * `process.env`; everything else receives a validated Settings object.
 */
import { readFileSync } from "node:fs";
import { delimiter } from "node:path";
import { z } from "zod";
import { ConfigError } from "../pipeline/errors.js";
import { defaultApiSettings, defaultSettings } from "./defaults.js";
import {
  type ApiSettings,
  apiSettingsSchema,
  type DetectionProfile,
  type Settings,
  settingsFileSchema,
  settingsSchema,
} from "./schema.js";

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

type SettingsFile = z.infer<typeof settingsFileSchema>;

function readSettingsFile(file: string): SettingsFile {
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
  const fromFile: SettingsFile = file ? readSettingsFile(file) : {};
  // The API's part of the file is loadApiSettings' business (and must not reach run records).
  delete fromFile.api;
  const merged = {
    ...defaultSettings,
    ...fromFile,
    ...settingsFromEnv(env),
    ...options.overrides,
  };
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid settings: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

export interface LoadApiSettingsOptions extends Omit<LoadSettingsOptions, "overrides"> {
  /** Values that override everything else (command-line flags). */
  overrides?: Partial<ApiSettings>;
}

function apiSettingsFromEnv(env: NodeJS.ProcessEnv): Partial<ApiSettings> {
  const out: Partial<ApiSettings> = {};
  const list = (value: string, separator: string) => value.split(separator).filter((v) => v.length > 0);
  if (env.CHANGEWATCH_API_KEY) out.apiKey = env.CHANGEWATCH_API_KEY;
  if (env.CHANGEWATCH_API_HOST) out.host = env.CHANGEWATCH_API_HOST;
  if (env.CHANGEWATCH_API_PORT) out.port = Number(env.CHANGEWATCH_API_PORT);
  if (env.CHANGEWATCH_ALLOWED_ROOTS) out.allowedRoots = list(env.CHANGEWATCH_ALLOWED_ROOTS, delimiter);
  if (env.CHANGEWATCH_ALLOWED_URL_HOSTS) out.allowedUrlHosts = list(env.CHANGEWATCH_ALLOWED_URL_HOSTS, ",");
  return out;
}

/** The HTTP API's settings: defaults, then the settings file's `api` object, then the environment. */
export function loadApiSettings(options: LoadApiSettingsOptions = {}): ApiSettings {
  const env = options.env ?? process.env;
  const file = options.file ?? env.CHANGEWATCH_CONFIG;
  const merged = {
    ...defaultApiSettings,
    ...(file ? readSettingsFile(file).api : {}),
    ...apiSettingsFromEnv(env),
    ...options.overrides,
  };
  const parsed = apiSettingsSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(`invalid API settings: ${formatIssues(parsed.error)}`);
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
