import pino, { type Logger } from "pino";

/** pino, JSON to stderr (stdout carries results). Level from FORMEX_LOG_LEVEL, default `warn`. */
export function createLogger(level = process.env.FORMEX_LOG_LEVEL ?? "warn"): Logger {
  return pino({ name: "formex", level, base: { pid: process.pid } }, pino.destination(2));
}

export type { Logger };
