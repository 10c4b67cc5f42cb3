/**
 * The learned re-scorer's file: a gradient-boosted forest over FEATURE_NAMES, the
 * probability threshold chosen at training time, and what it was trained on. Plain JSON,
 * validated on load so a model from another version of the features is refused.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.js";
import { FEATURE_NAMES } from "./features.js";
import type { Forest } from "./gbdt.js";

/** Version 2: features ranked within the pair, thresholds per detection profile. */
const MODEL_VERSION = 2;

const treeSchema = z.strictObject({
  feature: z.array(z.int()),
  threshold: z.array(z.number()),
  left: z.array(z.int()),
  right: z.array(z.int()),
  value: z.array(z.number()),
});

export const changeModelSchema = z.strictObject({
  format: z.literal("changewatch-model"),
  version: z.literal(MODEL_VERSION),
  features: z.array(z.string()),
  forest: z.strictObject({ featureCount: z.int().positive(), bias: z.number(), trees: z.array(treeSchema) }),
  /** Probability above which a pixel counts as changed (chosen to maximise training F1 over all pairs). */
  threshold: z.number().gt(0).lt(1),
  /**
   * The same, per detection profile, from the training pairs that profile scored: the share
   * of changed pixels differs with pixel size (a house is hundreds of pixels at 0.5 m, one or
   * two at 10 m), so the best cut does too. The profile follows from the pixel size alone.
   */
  thresholds: z.record(z.string(), z.number().gt(0).lt(1)),
  trainedOn: z.array(
    z.strictObject({ dataset: z.string(), gsdM: z.number().positive(), pairs: z.array(z.string()) }),
  ),
  createdAt: z.string(),
});

export type ChangeModel = z.infer<typeof changeModelSchema> & { forest: Forest };

export function makeModel(
  forest: Forest,
  threshold: number,
  thresholds: Record<string, number>,
  trainedOn: ChangeModel["trainedOn"],
): ChangeModel {
  return {
    format: "changewatch-model",
    version: MODEL_VERSION,
    features: [...FEATURE_NAMES],
    forest,
    threshold,
    thresholds,
    trainedOn,
    createdAt: new Date().toISOString(),
  };
}

/** The probability threshold for pairs scored with `profileName` (the overall one if that profile saw no training pair). */
export function modelThreshold(model: ChangeModel, profileName: string): number {
  return model.thresholds[profileName] ?? model.threshold;
}

export async function saveModel(path: string, model: ChangeModel): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(model));
  await rename(tmp, path);
}

const cache = new Map<string, Promise<ChangeModel>>();

/** Loads and validates a model file; repeated loads of one path share the parsed model. */
export function loadModel(path: string): Promise<ChangeModel> {
  let pending = cache.get(path);
  if (!pending) {
    pending = readModel(path);
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}

async function readModel(path: string): Promise<ChangeModel> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? "E_INPUT_MISSING" : "E_INPUT_UNREADABLE",
      path,
      `cannot read model (${code})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError("E_INPUT_FORMAT", path, "not a changewatch model (invalid JSON)");
  }
  const written = json as { format?: unknown; version?: unknown } | null;
  if (written?.format === "changewatch-model" && written.version !== MODEL_VERSION) {
    throw new InputError(
      "E_INPUT_FORMAT",
      path,
      `is a model of format version ${String(written.version)}, this version reads ${MODEL_VERSION}; retrain it with this version`,
    );
  }
  const parsed = changeModelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      "E_INPUT_FORMAT",
      path,
      `not a changewatch model (${issue.path.join(".")}: ${issue.message})`,
    );
  }
  const model = parsed.data;
  if (
    model.features.join(",") !== FEATURE_NAMES.join(",") ||
    model.forest.featureCount !== FEATURE_NAMES.length
  ) {
    throw new InputError(
      "E_INPUT_FORMAT",
      path,
      "was trained on a different feature set; retrain it with this version",
    );
  }
  return model;
}
