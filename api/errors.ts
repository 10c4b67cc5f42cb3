/**
 * One error shape for every response of the API: `{ code, message }` with the right status,
 * never a stack trace. Known failures are ApiErrors or the pipeline's coded errors; anything
 * else is logged and answered with a generic 500.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ChangewatchError } from "../pipeline/errors.js";

export type ApiErrorCode =
  | "E_UNAUTHORIZED"
  | "E_BAD_REQUEST"
  | "E_VALIDATION"
  | "E_LOCATION_NOT_ALLOWED"
  | "E_NOT_FOUND"
  | "E_BODY_TOO_LARGE"
  | "E_UNSUPPORTED_MEDIA_TYPE"
  | "E_UNAVAILABLE"
  | "E_INTERNAL";

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode | ChangewatchError["code"],
    message: string,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

export interface ErrorBody {
  code: string;
  message: string;
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type) by their codes. */
const FASTIFY_CLIENT_ERRORS: Record<string, [number, ApiErrorCode, string?]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "E_BAD_REQUEST", "request body is not valid JSON"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "E_BAD_REQUEST", "request body is empty but the content type is JSON"],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "E_BODY_TOO_LARGE"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    "E_UNSUPPORTED_MEDIA_TYPE",
    "send the request body as application/json",
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "E_BAD_REQUEST"],
};

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } | null {
  if (err instanceof ApiError)
    return { status: err.statusCode, body: { code: err.code, message: err.message } };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? "request";
    const issues = err.validation
      .map((v) => `${where}${v.instancePath.replace(/\//g, ".")}: ${v.message ?? "is invalid"}`)
      .join("; ");
    return { status: 400, body: { code: "E_VALIDATION", message: issues } };
  }
  if (err instanceof ChangewatchError) return { status: 400, body: { code: err.code, message: err.message } };
  const fastifyCode = (err as FastifyError | undefined)?.code;
  const known = fastifyCode ? FASTIFY_CLIENT_ERRORS[fastifyCode] : undefined;
  if (known) {
    const [status, code, message] = known;
    return { status, body: { code, message: message ?? (err as Error).message } };
  }
  return null;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const known = toErrorResponse(err);
    if (known) return reply.code(known.status).send(known.body);
    request.log.error({ err }, "request failed");
    return reply
      .code(500)
      .send({ code: "E_INTERNAL", message: "internal error; the server log has the details" });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: "E_NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` }),
  );
}
