/**
 * One scan at a time per site, across every worker: a Redis lock (SET NX PX with a random
 * token, released only by its holder) around each read-modify-write of a site's history.
 * The expiry frees a site whose holder died; holders finish well within it.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Redis } from "ioredis";

/** Deletes the key only when it still holds our token: never release another holder's lock. */
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

export interface SiteLockOptions {
  /** How long a lock lives if its holder dies. @defaultValue 60000 */
  ttlMs?: number;
  /** How long to wait for a busy lock before giving up (the job then retries). @defaultValue 30000 */
  waitMs?: number;
}

export class SiteLockBusyError extends Error {
  constructor(siteId: string, waitedMs: number) {
    super(`site ${siteId} stayed locked by another scan for ${waitedMs} ms`);
    this.name = this.constructor.name;
  }
}

export class SiteLock {
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    options: SiteLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.waitMs = options.waitMs ?? 30_000;
  }

  async withLock<T>(siteId: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}:site-lock:${siteId}`;
    const token = randomBytes(8).toString("hex");
    const started = Date.now();
    while ((await this.connection.set(key, token, "PX", this.ttlMs, "NX")) !== "OK") {
      if (Date.now() - started > this.waitMs) throw new SiteLockBusyError(siteId, this.waitMs);
      await delay(50);
    }
    try {
      return await work();
    } finally {
      await this.connection.eval(RELEASE, 1, key, token);
    }
  }
}
