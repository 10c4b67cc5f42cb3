/**
 * Compiles the project once before the tests: queue workers run the tile processor
 * sandboxed from dist/workers/tile-sandbox.js, and worker-process tests run dist/cli/main.js.
 * Incremental, so a build that is up to date costs about a second.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(
    process.execPath,
    [tsc, "-p", "tsconfig.build.json", "--incremental", "--tsBuildInfoFile", "dist/.tsbuildinfo"],
    { stdio: "inherit" },
  );
}
