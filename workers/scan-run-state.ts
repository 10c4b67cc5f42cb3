/** Where a submitted run stands, read from its pair and assemble jobs: running, completed or failed. */
import type { AssembleJobResult } from "./assemble-processor.js";
import type { RunQueues } from "./run-queues.js";

export type RunState =
  | { state: "running" }
  | { state: "completed"; result: AssembleJobResult }
  | { state: "failed"; reason: string };

export async function runState(queues: RunQueues, runKey: string): Promise<RunState> {
  const pair = await queues.pair.getJob(runKey);
  if (!pair) return { state: "failed", reason: `run ${runKey} is no longer in the queue` };
  if ((await pair.getState()) === "failed") return { state: "failed", reason: pair.failedReason };
  // The pair job adds the assemble job when it has planned the run.
  const assemble = await queues.assemble.getJob(runKey);
  if (!assemble) return { state: "running" };
  const state = await assemble.getState();
  if (state === "completed") return { state: "completed", result: assemble.returnvalue as AssembleJobResult };
  if (state === "failed") return { state: "failed", reason: assemble.failedReason };
  return { state: "running" };
}
