/**
 * Worker threads for the in-process runner's tiles: one thread per core, each with its own
 * open pair, fed tile indices as it finishes them. Tiles are independent and assembly
 * orders results by index, so a pooled run gives exactly what a sequential one gives; it
 * only uses every core for reading, decoding and scoring.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ChangewatchError, InputError, type ErrorCode } from "../errors.js";
import type { PairPlan } from "./pair-plan.js";
import type { TileResult } from "./run-tile.js";

/** What a tile thread is started with: references and the plan, never pixels. */
export interface TileThreadData {
  beforePath: string;
  afterPath: string;
  limits: { maxPixels: number; maxBands: number };
  /** The plan as JSON, parsed once per thread. */
  planJson: string;
  workDir: string;
}

export type TileThreadRequest = { type: "tile"; tileIndex: number } | { type: "close" };

export interface SerialisedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  file?: string;
}

export type TileThreadReply =
  | { type: "ready" }
  | { type: "result"; tileIndex: number; result: TileResult }
  | { type: "error"; tileIndex: number; error: SerialisedError };

/** The compiled thread script; absent when the runner itself runs from TypeScript sources (tests). */
const THREAD_SCRIPT = new URL("./tile-thread.js", import.meta.url);

export class TilePool {
  /**
   * Whether tiles can run in threads here: the thread script exists (compiled to dist/)
   * and there is more than one core and more than one tile to share out.
   */
  static usable(threads: number, tiles: number): boolean {
    return threads > 1 && tiles > 1 && existsSync(fileURLToPath(THREAD_SCRIPT));
  }

  /**
   * Runs every tile of `plan` on `threads` threads and resolves with the results in tile
   * order. `onResult` is called as each tile finishes. The first failing tile rejects the
   * run (with its error rebuilt as the same ChangewatchError class, so bad input stays bad
   * input); the threads are stopped either way.
   */
  static async run(
    plan: PairPlan,
    data: Omit<TileThreadData, "planJson">,
    threads: number,
    onResult: (result: TileResult) => void,
    signal?: AbortSignal,
  ): Promise<TileResult[]> {
    const total = plan.tiles.tiles.length;
    const results = new Array<TileResult>(total);
    const workerData: TileThreadData = { ...data, planJson: JSON.stringify(plan) };
    const workers: Worker[] = [];
    const exited = new Set<Worker>();
    try {
      await new Promise<void>((resolve, reject) => {
        // Each thread starts on its own contiguous run of tiles in raster order, so the
        // blocks a tile's halo shares with its left neighbour are still in that thread's
        // block cache; a thread whose run is done takes from the end of the longest other.
        const runs = splitRuns(total, Math.min(threads, total));
        let done = 0;
        let failed = false;
        const fail = (err: unknown) => {
          if (failed) return;
          failed = true;
          reject(err);
        };
        const onAbort = () => fail(signal?.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        const feed = (worker: Worker, own: number) => {
          if (failed) return;
          let run = runs[own];
          let tileIndex: number;
          if (run.next < run.end) {
            tileIndex = run.next++;
          } else {
            run = runs.reduce((a, b) => (b.end - b.next > a.end - a.next ? b : a));
            if (run.next >= run.end) return;
            tileIndex = --run.end;
          }
          worker.postMessage({ type: "tile", tileIndex } satisfies TileThreadRequest);
        };
        for (let t = 0; t < runs.length; t++) {
          const worker = new Worker(THREAD_SCRIPT, { workerData });
          workers.push(worker);
          worker.on("error", fail);
          worker.on("exit", (code) => {
            exited.add(worker);
            if (code !== 0 || done < total) fail(new Error(`tile thread exited with code ${code}`));
          });
          worker.on("message", (reply: TileThreadReply) => {
            if (reply.type === "ready") return feed(worker, t);
            if (reply.type === "error") return fail(rebuildError(reply.error));
            results[reply.tileIndex] = reply.result;
            onResult(reply.result);
            if (++done === total) {
              signal?.removeEventListener("abort", onAbort);
              resolve();
            } else {
              feed(worker, t);
            }
          });
        }
      });
      return results;
    } finally {
      await Promise.all(workers.map((w) => stop(w, exited)));
    }
  }
}

/** `total` tile indices cut into `parts` contiguous runs [next, end) of near-equal length. */
function splitRuns(total: number, parts: number): Array<{ next: number; end: number }> {
  const runs: Array<{ next: number; end: number }> = [];
  for (let p = 0; p < parts; p++) {
    runs.push({ next: Math.floor((total * p) / parts), end: Math.floor((total * (p + 1)) / parts) });
  }
  return runs;
}

/** Asks a thread to close its pair and exit; one that does not within 5 s is terminated. */
function stop(worker: Worker, exited: Set<Worker>): Promise<void> {
  if (exited.has(worker)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), 5000);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ type: "close" } satisfies TileThreadRequest);
  });
}

function rebuildError(e: SerialisedError): Error {
  let err: Error;
  if (e.code !== undefined && e.file !== undefined && e.message.startsWith(`${e.file}: `)) {
    err = new InputError(e.code as ErrorCode, e.file, e.message.slice(e.file.length + 2));
  } else if (e.code !== undefined) {
    err = new ChangewatchError(e.code as ErrorCode, e.message);
  } else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
