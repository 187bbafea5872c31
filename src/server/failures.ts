import type { FastifyError, FastifyInstance } from "fastify";
import { DamagedPdfError, PageTooLargeError, QueueUnavailableError } from "../errors.js";
import { isOutage } from "../store/outage.js";

/**
 * How failures leave the server: an outage is 503 with a retry hint, a bad request its own 4xx,
 * and anything else a 500 that names no internals (a database error code is for the log).
 */
export function registerFailures(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (isOutage(error)) {
      req.log.warn({ err: error.message }, "database unavailable");
      return reply
        .code(503)
        .header("retry-after", "10")
        .send({ code: "DATABASE_UNAVAILABLE", message: "the database is unavailable; try again shortly" });
    }
    if (error instanceof QueueUnavailableError)
      return reply.code(503).header("retry-after", "10").send({ code: error.code, message: error.message });
    if (error instanceof PageTooLargeError || error instanceof DamagedPdfError)
      return reply.code(422).send({ code: error.code, message: error.message });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? "INPUT_TOO_LARGE" : status === 404 ? "NOT_FOUND" : "BAD_REQUEST";
      return reply.code(status).send({ code, message: error.message });
    }
    req.log.error({ err: error }, "request failed");
    return reply
      .code(500)
      .send({ code: "INTERNAL", message: "internal error (the server log has the details)" });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ code: "NOT_FOUND", message: `no route ${req.method} ${req.url.split("?")[0]}` }),
  );
}
