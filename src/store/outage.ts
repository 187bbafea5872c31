import { DatabaseUnavailableError } from "../errors.js";

/**
 * Which PostgreSQL failures are outages (the server is down, restarting or unreachable) rather
 * than a wrong query: those become DatabaseUnavailableError, which the queue retries and the API
 * answers with 503.
 */

/** Socket errors, admin shutdown / crash / starting up (57P0x), too many connections, SQLSTATE class 08. */
const OUTAGE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);
/** What `pg` says when a socket closes under it (these errors carry no code). */
const OUTAGE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|Client was closed and is not queryable/i;

export function isOutage(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError) return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  return OUTAGE_CODES.has(code) || code.startsWith("08") || OUTAGE_MESSAGE.test(String(e?.message ?? ""));
}

/** The error to throw: an outage as DatabaseUnavailableError, anything else unchanged. */
export function outageOr(err: unknown): unknown {
  if (err instanceof DatabaseUnavailableError || !isOutage(err)) return err;
  return new DatabaseUnavailableError(
    `PostgreSQL is unavailable: ${(err as Error).message}`,
    {},
    { cause: err },
  );
}
