/**
 * Atomic output folders: a run writes into a hidden sibling folder and renames it into
 * place only when every file is complete, so a failed run leaves no partial output.
 */
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";

export interface StagedFolder {
  /** Where to write the files now. */
  path: string;
  /** Moves the staged folder to its final place, replacing any previous run there. */
  commit(): Promise<void>;
  /** Removes the staged folder (after a failure). */
  discard(): Promise<void>;
}

export async function stageFolder(finalPath: string): Promise<StagedFolder> {
  const target = resolve(finalPath);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const path = join(parent, `.${basename(target)}.partial-${suffix}`);
  await mkdir(path);
  return {
    path,
    async commit() {
      const previous = join(parent, `.${basename(target)}.old-${suffix}`);
      const exists = await stat(target).then(
        () => true,
        () => false,
      );
      if (exists) await rename(target, previous);
      await rename(path, target);
      if (exists) await rm(previous, { recursive: true, force: true });
    },
    async discard() {
      await rm(path, { recursive: true, force: true });
    },
  };
}
