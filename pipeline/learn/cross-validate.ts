/**
 * Grouped k-fold cross-validation of the re-scorer: groups (source tiles, cities) are dealt
 * to folds, each fold's model is trained on the other folds and evaluated end to end with
 * `eval` on its held-out pairs, so no score is ever reported on pairs the model saw.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Settings } from "../../config/schema.js";
import { evaluateDataset, type PairEvaluation } from "../eval/evaluate-dataset.js";
import { addConfusion, pixelScores, type Confusion, type PixelScores } from "../eval/metrics.js";
import type { TrainOptions } from "./gbdt.js";
import { saveModel } from "./model-file.js";
import { groupFolds, trainModel, type TrainedOn } from "./train.js";
import type { PairSample } from "./training-set.js";

export interface DatasetCv {
  dataset: string;
  pooled: PixelScores & Confusion;
  objectRecall: number;
  pairs: (PairEvaluation & { fold: number })[];
}

export async function crossValidate(
  samples: readonly (PairSample & TrainedOn)[],
  folds: number,
  settings: Settings,
  trainOptions: TrainOptions,
  onFold?: (fold: number) => void,
): Promise<DatasetCv[]> {
  const { foldOf: fold } = groupFolds(samples, folds);
  const work = await mkdtemp(join(tmpdir(), "changewatch-cv-"));
  const results = new Map<string, DatasetCv>();
  try {
    for (let k = 0; k < folds; k++) {
      onFold?.(k);
      const heldOut = samples.filter((s) => fold(s) === k);
      if (heldOut.length === 0) continue;
      const model = trainModel(
        samples.filter((s) => fold(s) !== k),
        trainOptions,
      );
      const modelPath = join(work, `fold-${k}.json`);
      await saveModel(modelPath, model);
      for (const dataset of new Set(heldOut.map((s) => s.dataset))) {
        const held = heldOut.filter((s) => s.dataset === dataset);
        const evaluation = await evaluateDataset(dataset, join(work, `eval-${k}`), {
          settings,
          gsdM: held[0].gsdM,
          modelPath,
          names: held.map((s) => s.name),
        });
        const entry = results.get(dataset) ?? {
          dataset,
          pooled: { tp: 0, fp: 0, fn: 0, tn: 0, ...pixelScores({ tp: 0, fp: 0, fn: 0, tn: 0 }) },
          objectRecall: 0,
          pairs: [],
        };
        entry.pairs.push(...evaluation.pairs.map((p) => ({ ...p, fold: k })));
        const c = addConfusion(entry.pooled, evaluation.pooled);
        entry.pooled = { ...c, ...pixelScores(c) };
        results.set(dataset, entry);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  for (const r of results.values()) {
    const objects = r.pairs.reduce((n, p) => n + p.objects, 0);
    r.objectRecall = objects === 0 ? 1 : r.pairs.reduce((n, p) => n + p.objectsFound, 0) / objects;
  }
  return [...results.values()];
}
