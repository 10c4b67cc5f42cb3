/**
 * How a processor's error becomes a BullMQ outcome: bad input or settings can never
 * succeed, so they become UnrecoverableError (failed at once, original message as the
 * reason); anything else is left to BullMQ's retries with backoff.
 */
import { UnrecoverableError } from "bullmq";
import { isPermanentError } from "../pipeline/errors.js";

export function toJobError(err: unknown): unknown {
  if (isPermanentError(err)) return new UnrecoverableError((err as Error).message);
  return err;
}

/** Runs `work`, turning permanent errors into UnrecoverableError. */
export async function withJobErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toJobError(err);
  }
}
