/**
 * A tile thread of the in-process runner (see TilePool): it opens the pair once, then runs
 * the tiles it is sent with the same runTile as every other runner and posts back each
 * small TileResult. Pixels never cross threads: each thread reads its own windows.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PairPlan } from "./pair-plan.js";
import { closePair, openPair } from "./plan-pair.js";
import { runTile } from "./run-tile.js";
import type { SerialisedError, TileThreadData, TileThreadReply, TileThreadRequest } from "./tile-pool.js";

const port = parentPort;
if (port === null) throw new Error("tile-thread.js runs only as a worker thread");
const data = workerData as TileThreadData;
const plan = JSON.parse(data.planJson) as PairPlan;
const pair = await openPair(data.beforePath, data.afterPath, data.limits);

port.on("message", (request: TileThreadRequest) => {
  if (request.type === "close") {
    void closePair(pair).finally(() => port.close());
    return;
  }
  runTile(plan, request.tileIndex, pair, data.workDir).then(
    (result) =>
      port.postMessage({ type: "result", tileIndex: request.tileIndex, result } satisfies TileThreadReply),
    (err: unknown) =>
      port.postMessage({
        type: "error",
        tileIndex: request.tileIndex,
        error: serialiseError(err),
      } satisfies TileThreadReply),
  );
});
port.postMessage({ type: "ready" } satisfies TileThreadReply);

function serialiseError(err: unknown): SerialisedError {
  if (err instanceof Error) {
    const { code, file } = err as Error & { code?: unknown; file?: unknown };
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      code: typeof code === "string" ? code : undefined,
      file: typeof file === "string" ? file : undefined,
    };
  }
  return { name: "Error", message: String(err) };
}
