/**
 * The HTTP API driven over HTTP on a free port, with a real Redis and an in-process worker
 * pool: submit a sample pair, follow it to completion, fetch its outputs; and every refusal
 * (key, image locations, bodies, unknown ids) as `{ code, message }` with the right status.
 */
import { copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../api/server.js";
import { loadApiSettings } from "../../config/load.js";
import type { Settings } from "../../config/schema.js";
import { WorkerPool } from "../../workers/worker-pool.js";
import { queueTestSettings, SAMPLES, tempDir } from "../workers/queue-fixtures.js";
import { dropPrefix, startRedis, uniquePrefix, type TestRedis } from "../workers/test-redis.js";

const KEY = "test-key-0123456789abcdef";

describe("HTTP API", () => {
  let redis: TestRedis;
  let settings: Settings;
  let pool: WorkerPool;
  let app: FastifyInstance;
  let base: string;
  let root: string;
  let outside: string;

  const call = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.key !== null) headers.set("x-api-key", init.key ?? KEY);
    return fetch(`${base}${path}`, { ...init, headers });
  };
  const post = (path: string, body: unknown, key?: string | null) =>
    call(path, {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  /** Asserts an error response: status, exactly { code, message }, and a message matching `message`. */
  const expectError = async (res: Response, status: number, code: string, message?: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(["code", "message"]);
    expect(body.code).toBe(code);
    if (message) expect(body.message).toMatch(message);
    expect(body.message).not.toMatch(/\n\s+at /);
  };

  beforeAll(async () => {
    redis = await startRedis();
    const dir = await tempDir("api");
    root = join(dir, "imagery");
    outside = join(dir, "outside");
    await mkdir(join(root, "hyesan"), { recursive: true });
    await mkdir(outside);
    await copyFile(SAMPLES.hyesan.before, join(root, "hyesan", "before.tif"));
    await copyFile(SAMPLES.hyesan.after, join(root, "hyesan", "after.tif"));
    await writeFile(join(outside, "secret.tif"), "not for the API");
    await symlink(join(outside, "secret.tif"), join(root, "escape.tif"));
    // Default-length locks: planning blocks this process's event loop for seconds, and the
    // API test is not about retaking stalled jobs.
    settings = queueTestSettings(redis.url, uniquePrefix(), join(dir, "data"), {
      tileSizePx: 512,
      queue: { lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
    });
    const api = loadApiSettings({
      env: {},
      overrides: { apiKey: KEY, port: 0, allowedRoots: [root], allowedUrlHosts: ["imagery.example.org"] },
    });
    pool = await WorkerPool.start(settings, { concurrency: 2 });
    app = await buildApiServer({ settings, api });
    base = await app.listen({ port: 0, host: "127.0.0.1" });
  });

  afterAll(async () => {
    await app?.close();
    await pool?.close(5_000);
    if (redis) await dropPrefix(redis.url, settings.queue.prefix);
    await redis?.stop();
  });

  it("answers /healthz without a key when Redis answers", async () => {
    const res = await call("/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", redis: "ok" });
  });

  it("refuses a missing or wrong key with 401 and accepts X-API-Key and Bearer", async () => {
    await expectError(
      await call("/v1/jobs/run-0123456789abcdef", { key: null }),
      401,
      "E_UNAUTHORIZED",
      /API key is required/,
    );
    await expectError(
      await call("/v1/jobs/run-0123456789abcdef", { key: "wrong" }),
      401,
      "E_UNAUTHORIZED",
      /not valid/,
    );
    await expectError(await post("/v1/pairs", {}, null), 401, "E_UNAUTHORIZED");
    await expectError(await call("/openapi.json", { key: `${KEY}x` }), 401, "E_UNAUTHORIZED");
    const bearer = await call("/openapi.json", { key: null, headers: { authorization: `Bearer ${KEY}` } });
    expect(bearer.status).toBe(200);
    const dashboard = await call("/admin/queues", { key: null });
    expect(dashboard.status).toBe(401);
    expect(dashboard.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("serves the OpenAPI document and the queue dashboard", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/pairs",
        "/v1/jobs/{id}",
        "/v1/runs/{id}",
        "/v1/runs/{id}/report.html",
        "/healthz",
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/admin"))).toBe(false);
    const dashboard = await call("/admin/queues");
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toMatch(/<html/i);
  });

  it("runs a submitted pair to completion and serves its record, detections and report", async () => {
    const pair = {
      before: join(root, "hyesan", "before.tif"),
      after: join(root, "hyesan", "after.tif"),
      site: "hyesan",
    };
    const res = await post("/v1/pairs", pair);
    expect(res.status).toBe(202);
    const submission = (await res.json()) as { jobId: string; runId: string; duplicate: boolean };
    expect(submission.duplicate).toBe(false);
    expect(res.headers.get("location")).toBe(`/v1/jobs/${submission.jobId}`);

    let status: {
      state: string;
      failedReason: string | null;
      links: { report: string } | null;
      progress: { tilesDone: number; tilesTotal: number };
    };
    const deadline = Date.now() + 45_000;
    do {
      await new Promise((r) => setTimeout(r, 250));
      status = (await (await call(`/v1/jobs/${submission.jobId}`)).json()) as typeof status;
    } while (status.state !== "completed" && status.state !== "failed" && Date.now() < deadline);
    expect(status.failedReason).toBeNull();
    expect(status.state).toBe("completed");
    expect(status.progress.tilesDone).toBe(status.progress.tilesTotal);
    expect(status.links?.report).toBe(`/v1/runs/${submission.runId}/report.html`);

    const record = (await (await call(`/v1/runs/${submission.runId}`)).json()) as {
      runId: string;
      counts: { detections: number };
    };
    expect(record.runId).toBe(submission.runId);
    expect(record.counts.detections).toBeGreaterThan(0);
    const geo = await call(`/v1/runs/${submission.runId}/detections.geojson`);
    expect(geo.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    const features = ((await geo.json()) as { features: unknown[] }).features;
    expect(features).toHaveLength(record.counts.detections);
    const report = await call(`/v1/runs/${submission.runId}/report.html`);
    expect(report.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await report.text();
    expect(html.match(/class="detection-row"/g)).toHaveLength(record.counts.detections);
    expect(html).toContain("<h1>hyesan: 2024-05-10 → 2025-09-18</h1>");

    // Submitted again: the same job, nothing queued.
    const again = (await (await post("/v1/pairs", pair)).json()) as { jobId: string; duplicate: boolean };
    expect(again).toMatchObject({ jobId: submission.jobId, duplicate: true });
  });

  it("refuses image locations outside the allowed roots and hosts with 400", async () => {
    const inside = join(root, "hyesan", "after.tif");
    const cases: [string, RegExp][] = [
      [join(outside, "secret.tif"), /^before: .*secret\.tif is outside the allowed roots$/],
      [`${root}/../outside/secret.tif`, /^before: .* contains '\.\.'$/],
      [`${root}/hyesan/../../outside/secret.tif`, /contains '\.\.'/],
      [
        join(root, "escape.tif"),
        /^before: .*escape\.tif resolves \(through a symbolic link\) to .*secret\.tif, outside the allowed roots$/,
      ],
      ["/etc/passwd", /outside the allowed roots/],
      ["hyesan/before.tif", /is not an absolute path/],
      [join(root, "missing.tif"), /does not exist/],
      [join(root, "hyesan"), /is not a file/],
      [
        "http://169.254.169.254/latest/meta-data",
        /^before: host 169\.254\.169\.254 is not an allowed URL host/,
      ],
      [
        "https://imagery.example.org.evil.net/a.tif",
        /host imagery\.example\.org\.evil\.net is not an allowed URL host/,
      ],
      ["https://user:pw@imagery.example.org/a.tif", /credentials/],
      ["file:///etc/passwd", /file: URLs are not accepted/],
    ];
    for (const [before, message] of cases) {
      await expectError(
        await post("/v1/pairs", { before, after: inside }),
        400,
        "E_LOCATION_NOT_ALLOWED",
        message,
      );
    }
  });

  it("answers malformed, unexpected and oversized bodies with 400 or 413", async () => {
    await expectError(await post("/v1/pairs", '{"before": "/x",'), 400, "E_BAD_REQUEST", /not valid JSON/);
    await expectError(await post("/v1/pairs", { before: "/x" }), 400, "E_VALIDATION", /body\.after/);
    await expectError(
      await post("/v1/pairs", { before: "/x", after: "/y", extra: 1 }),
      400,
      "E_VALIDATION",
      /extra/,
    );
    await expectError(
      await post("/v1/pairs", { before: "x".repeat(100_000), after: "/y" }),
      413,
      "E_BODY_TOO_LARGE",
    );
    const inside = join(root, "hyesan", "after.tif");
    await expectError(
      await post("/v1/pairs", { before: inside, after: inside, profile: "nonesuch" }),
      400,
      "E_CONFIG",
      /unknown profile "nonesuch"/,
    );
  });

  it("lists the configured sites and serves a site's history and report", async () => {
    const sites = (await (await call("/v1/sites")).json()) as { id: string; lastScan: unknown }[];
    expect(sites.map((s) => s.id)).toEqual(expect.arrayContaining(["hyesan", "tumen"]));
    const history = (await (await call("/v1/sites/tumen")).json()) as { siteId: string; scans: unknown[] };
    expect(history).toMatchObject({ siteId: "tumen", scans: [] });
    const report = await call("/v1/sites/tumen/report.html?since=2024-01-01");
    expect(report.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await report.text()).toContain("<h1>tumen: no scans</h1>");
    await expectError(
      await call("/v1/sites/nowhere"),
      404,
      "E_NOT_FOUND",
      /unknown site "nowhere" \(known: .*hyesan/,
    );
    await expectError(await post("/v1/sites/nowhere/scan", {}), 404, "E_NOT_FOUND");
    await expectError(await call("/v1/sites/..%2Fetc"), 400, "E_VALIDATION", /letters, digits/);
    await expectError(
      await call("/v1/sites/tumen/report.html?since=soon"),
      400,
      "E_VALIDATION",
      /YYYY-MM-DD/,
    );
  });

  it("answers unknown runs, jobs and routes with 404 and bad ids with 400", async () => {
    await expectError(
      await call("/v1/runs/0123456789abcdef"),
      404,
      "E_NOT_FOUND",
      /no completed run 0123456789abcdef/,
    );
    await expectError(await call("/v1/runs/0123456789abcdef/report.html"), 404, "E_NOT_FOUND");
    await expectError(await call("/v1/jobs/run-0123456789abcdef"), 404, "E_NOT_FOUND");
    await expectError(await call("/v1/runs/..%2F..%2Fetc"), 400, "E_VALIDATION", /16 hex digits/);
    await expectError(await call("/v1/nothing"), 404, "E_NOT_FOUND");
  });

  // Last: the scan it queues runs on in the worker pool.
  it("queues a scan of a site with 202", async () => {
    const res = await call("/v1/sites/tumen/scan", { method: "POST" });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { scanJobId: string; siteId: string };
    expect(body).toMatchObject({ siteId: "tumen", scanJobId: expect.stringMatching(/^scan-tumen-/) });
  });
});
