import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { type ErrorCode, httpStatus, type ResponseCode } from "../codes.js";
import { DamagedPdfError, PageTooLargeError, QueueUnavailableError } from "../errors.js";
import { isOutage } from "../store/outage.js";

/** Answers `{ code, message, ...extra }` with the registry's HTTP status for the code. */
export function answer(
  reply: FastifyReply,
  code: ErrorCode | ResponseCode,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(httpStatus(code)).send({ code, message, ...extra });
}

/**
 * How failures leave the server: an outage is 503 with a retry hint, a bad request its own 4xx,
 * and anything else a 500 that names no internals (a database error code is for the log).
 */
export function registerFailures(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (isOutage(error)) {
      req.log.warn({ err: error.message }, "database unavailable");
      reply.header("retry-after", "10");
      return answer(reply, "DATABASE_UNAVAILABLE", "the database is unavailable; try again shortly");
    }
    if (error instanceof QueueUnavailableError) {
      reply.header("retry-after", "10");
      return answer(reply, error.code, error.message);
    }
    if (error instanceof PageTooLargeError || error instanceof DamagedPdfError)
      return answer(reply, error.code, error.message);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? "INPUT_TOO_LARGE" : status === 404 ? "NOT_FOUND" : "BAD_REQUEST";
      return reply.code(status).send({ code, message: error.message });
    }
    req.log.error({ err: error }, "request failed");
    return answer(reply, "INTERNAL", "internal error (the server log has the details)");
  });
  app.setNotFoundHandler((req, reply) =>
    answer(reply, "NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`),
  );
}
