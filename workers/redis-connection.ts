/**
 * Redis connections for the queues. Workers and event listeners block on Redis, so their
 * connection must retry forever (`maxRetriesPerRequest: null`, as BullMQ requires); a
 * command-line client instead gives up quickly and says which Redis it could not reach.
 */
import { Redis } from "ioredis";
import { ChangewatchError } from "../pipeline/errors.js";

export type ConnectionRole = "worker" | "client";

export function redisConnection(url: string, role: ConnectionRole): Redis {
  if (role === "worker") return new Redis(url, { maxRetriesPerRequest: null });
  return new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: 5_000,
    // Three quick reconnects, then give up: a person is waiting at the terminal.
    retryStrategy: (times) => (times > 3 ? null : 250 * times),
  });
}

/** Resolves once Redis answers, or fails with one line naming the URL. */
export async function checkRedis(connection: Redis, url: string): Promise<void> {
  try {
    await connection.ping();
  } catch (err) {
    throw new ChangewatchError(
      "E_CONFIG",
      `cannot reach Redis at ${url} (${(err as Error).message}); start Redis or set REDIS_URL`,
      { cause: err },
    );
  }
}
