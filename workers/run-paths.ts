/**
 * Where a queued run keeps its files under the data folder, which every worker shares:
 * `work/<runKey>/` holds plan.json and the tiles' rasters while the run is in flight and is
 * removed after assembly; `runs/<runId>/` receives the outputs, as `detect --out` would.
 */
import { join, resolve } from "node:path";

export interface RunPaths {
  workDir: string;
  planPath: string;
  outDir: string;
}

export function runPaths(dataDir: string, runId: string, runKey: string): RunPaths {
  const root = resolve(dataDir);
  const workDir = join(root, "work", runKey);
  return { workDir, planPath: join(workDir, "plan.json"), outDir: join(root, "runs", runId) };
}
