import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../config/defaults.js";
import { chooseProfile, loadSettings } from "../../config/load.js";

const dir = mkdtempSync(join(tmpdir(), "cw-config-"));
const file = (name: string, json: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof json === "string" ? json : JSON.stringify(json));
  return path;
};

describe("loadSettings", () => {
  it("returns the defaults with an empty environment", () => {
    expect(loadSettings({ env: {} })).toEqual(defaultSettings);
  });

  it("lets a file override defaults and the environment override the file", () => {
    const path = file("ok.json", { tileSizePx: 512, dataDir: "/srv/cw" });
    const s = loadSettings({ env: { CHANGEWATCH_CONFIG: path, CHANGEWATCH_DATA_DIR: "/data" } });
    expect(s.tileSizePx).toBe(512);
    expect(s.dataDir).toBe("/data");
  });

  it("rejects unknown keys with their path", () => {
    const path = file("unknown.json", { tileSizePx: 512, tileSize: 3 });
    expect(() => loadSettings({ file: path, env: {} })).toThrow(
      `${path}: (root): Unrecognized key: "tileSize"`,
    );
  });

  it("names the bad field inside a profile", () => {
    const profile = { ...defaultSettings.profiles[0], minAreaM2: -1 };
    const path = file("profile.json", { profiles: [profile] });
    expect(() => loadSettings({ file: path, env: {} })).toThrow(/profiles\.0\.minAreaM2: Too small/);
  });

  it("rejects a bad environment value naming the setting", () => {
    expect(() => loadSettings({ env: { REDIS_URL: "localhost:6379" } })).toThrow(
      "invalid settings: redisUrl: must start with redis:// or rediss://",
    );
  });

  it("reports malformed JSON with the file name", () => {
    const path = file("bad.json", "{ nope");
    expect(() => loadSettings({ file: path, env: {} })).toThrow(`${path}: not valid JSON`);
  });
});

describe("chooseProfile", () => {
  it("chooses by pixel size", () => {
    expect(chooseProfile(defaultSettings, 0.5).name).toBe("vhr");
    expect(chooseProfile(defaultSettings, 3).name).toBe("high");
    expect(chooseProfile(defaultSettings, 10).name).toBe("sentinel2");
  });

  it("rejects an unknown profile name listing the known ones", () => {
    expect(() => chooseProfile(defaultSettings, 1, "lidar")).toThrow(
      'unknown profile "lidar" (known: vhr, high, sentinel2)',
    );
  });
});
