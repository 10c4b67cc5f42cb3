/**
 * A Redis for queue tests: a private redis-server on a free port, or $REDIS_URL when
 * redis-server is not installed. Each test uses its own key prefix, removed afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function spawnRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const failed = once(child, "error").then(([err]) => {
    throw err;
  });
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (await ping(url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer within 5 s`);
  })();
  failed.catch(() => undefined);
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function startRedis(): Promise<TestRedis> {
  try {
    return await spawnRedis();
  } catch (err) {
    const url = process.env.REDIS_URL;
    if (url && (await ping(url))) return { url, stop: async () => undefined };
    throw new Error(
      `queue tests need Redis: could not start redis-server (${(err as Error).message}) ` +
        `and REDIS_URL ${url ? `(${url}) does not answer` : "is not set"}; ` +
        "install redis-server (apt-get install redis-server) or set REDIS_URL to a running Redis",
    );
  }
}

export function uniquePrefix(): string {
  return `cwtest-${randomBytes(4).toString("hex")}`;
}

/** Removes every key under `prefix` (needed when the tests share a Redis given by REDIS_URL). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
