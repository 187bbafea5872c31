import pino, { type Logger } from "pino";

/** pino, JSON to stderr (stdout carries results). Level: the run's options (FORMEX_LOG_LEVEL, --verbose). */
export function createLogger(level = "warn"): Logger {
  return pino({ name: "formex", level, base: { pid: process.pid } }, pino.destination(2));
}

export type { Logger };
