/**
 * Evaluation over a labelled dataset folder (A/ before, B/ after, label/ truth, same file
 * names): runs the in-process pipeline on every pair, keeps each predicted mask and scores
 * it. Change in a label is its first channel > 127.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join, parse } from "node:path";
import sharp from "sharp";
import type { Settings } from "../../config/schema.js";
import { InputError } from "../errors.js";
import { OUTPUT_FILES } from "../run/assemble.js";
import { detectLocal } from "../run/local-runner.js";
import { stageFolder } from "../run/output-folder.js";
import {
  addConfusion,
  confusion,
  objectCounts,
  pixelScores,
  type Confusion,
  type PixelScores,
} from "./metrics.js";

export interface PairEvaluation {
  name: string;
  width: number;
  height: number;
  truthPx: number;
  predictedPx: number;
  detections: number;
  objects: number;
  objectsFound: number;
  f1: number;
  precision: number;
  recall: number;
  seconds: number;
}

export interface DatasetEvaluation {
  dataset: string;
  pairs: PairEvaluation[];
  pooled: PixelScores & Confusion;
  objectRecall: number;
  meanPairF1: number;
  settings: { profileName: string | null; gsdM: number | null; model: string | null };
}

const IMAGE = /\.(png|jpe?g|tiff?)$/i;

export async function readTruth(path: string): Promise<{ mask: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = data[i * info.channels] > 127 ? 1 : 0;
  return { mask, width: info.width, height: info.height };
}

async function readMask(path: string): Promise<Uint8Array> {
  const { data } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

export interface EvaluateOptions {
  settings: Settings;
  profileName?: string;
  gsdM?: number;
  /** A learned re-scorer file (changewatch train). */
  modelPath?: string;
  /** Evaluate only these pairs (file names in A/); all by default. */
  names?: string[];
  onPair?: (done: number, total: number, name: string) => void;
}

export async function evaluateDataset(
  datasetDir: string,
  outDir: string,
  options: EvaluateOptions,
): Promise<DatasetEvaluation> {
  let names: string[];
  try {
    names = (await readdir(join(datasetDir, "A"))).filter((n) => IMAGE.test(n)).sort();
    if (options.names) names = names.filter((n) => options.names!.includes(n));
  } catch {
    throw new InputError(
      "E_INPUT_MISSING",
      datasetDir,
      "no A/ folder: a dataset needs A/ (before), B/ (after) and label/",
    );
  }
  if (names.length === 0) throw new InputError("E_INPUT_MISSING", join(datasetDir, "A"), "holds no images");
  const staged = await stageFolder(outDir);
  try {
    await mkdir(join(staged.path, "masks"));
    const pairs: PairEvaluation[] = [];
    let pooled: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
    let objects = 0;
    let found = 0;
    for (const name of names) {
      options.onPair?.(pairs.length, names.length, name);
      const started = performance.now();
      const runDir = join(staged.path, "runs", parse(name).name);
      const result = await detectLocal(join(datasetDir, "A", name), join(datasetDir, "B", name), runDir, {
        settings: options.settings,
        profileName: options.profileName,
        gsdM: options.gsdM,
        modelPath: options.modelPath,
      });
      const truth = await readTruth(join(datasetDir, "label", name));
      const predicted = await readMask(join(runDir, OUTPUT_FILES.mask));
      if (predicted.length !== truth.mask.length) {
        throw new InputError(
          "E_BANDS_MISMATCH",
          join(datasetDir, "label", name),
          "label size differs from the image size",
        );
      }
      const maskPath = join(staged.path, "masks", `${parse(name).name}.png`);
      await copyFile(join(runDir, OUTPUT_FILES.mask), maskPath);
      await rm(runDir, { recursive: true, force: true });
      const c = confusion(predicted, truth.mask);
      pooled = addConfusion(pooled, c);
      const o = objectCounts(predicted, truth.mask, truth.width, truth.height);
      objects += o.objects;
      found += o.found;
      const s = pixelScores(c);
      pairs.push({
        name,
        width: truth.width,
        height: truth.height,
        truthPx: c.tp + c.fn,
        predictedPx: c.tp + c.fp,
        detections: result.detections.length,
        objects: o.objects,
        objectsFound: o.found,
        f1: s.f1,
        precision: s.precision,
        recall: s.recall,
        seconds: (performance.now() - started) / 1000,
      });
    }
    await rm(join(staged.path, "runs"), { recursive: true, force: true });
    const evaluation: DatasetEvaluation = {
      dataset: datasetDir,
      pairs,
      pooled: { ...pooled, ...pixelScores(pooled) },
      objectRecall: objects === 0 ? 1 : found / objects,
      meanPairF1: pairs.reduce((a, p) => a + p.f1, 0) / pairs.length,
      settings: {
        profileName: options.profileName ?? null,
        gsdM: options.gsdM ?? null,
        model: options.modelPath ?? null,
      },
    };
    await writeFile(join(staged.path, "metrics.json"), JSON.stringify(evaluation, null, 2));
    await staged.commit();
    return evaluation;
  } catch (err) {
    await staged.discard();
    throw err;
  }
}
