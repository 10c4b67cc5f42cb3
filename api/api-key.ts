/**
 * API-key authentication: every route but /healthz needs the configured key, sent as
 * `X-API-Key: KEY` or `Authorization: Bearer KEY` (or, for the dashboard in a browser, as
 * the password of HTTP Basic auth). Keys are compared in constant time over their SHA-256
 * digests, so neither the content nor the length of the key leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./errors.js";

/** Routes anyone may call: a load balancer's health check carries no key. */
const PUBLIC_PATHS = new Set(["/healthz"]);

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The key a request presents, or null. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers["x-api-key"];
  if (typeof header === "string" && header.length > 0) return header;
  const auth = request.headers.authorization;
  if (!auth) return null;
  const [scheme, value] = auth.split(/\s+/, 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** An onRequest hook that rejects requests without the key with 401. */
export function requireApiKey(apiKey: string) {
  const expected = digest(apiKey);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The matched route, not the raw URL: `/healthz/../v1/runs` must not pass as public.
    if (PUBLIC_PATHS.has(request.routeOptions.url ?? "")) return;
    const key = presentedKey(request);
    if (key !== null && timingSafeEqual(digest(key), expected)) return;
    // Browsers show a login prompt for the dashboard; API clients ignore the challenge.
    if (request.url.startsWith("/admin/")) reply.header("www-authenticate", 'Basic realm="changewatch"');
    throw new ApiError(
      401,
      "E_UNAUTHORIZED",
      key === null
        ? "an API key is required: send it as X-API-Key or Authorization: Bearer"
        : "the API key is not valid",
    );
  };
}
