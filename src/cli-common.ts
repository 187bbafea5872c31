import { parseArgs } from "node:util";
import { type Config, loadConfig } from "./config.js";
import { createLogger } from "./log.js";
import type { OcrSettings } from "./ocr/settings.js";
import { loadOptions, type Options } from "./options.js";
import { type Context, openContext } from "./service/context.js";

/** What every service command (`results`, `ingest`, `worker`, `status`, `serve`, `export`) shares. */

export const out = (s: string) => process.stdout.write(s);
export const err = (s: string) => process.stderr.write(s);

/**
 * The run's options: flags, then this process's environment, then defaults (the one place it is
 * read). `review`: `--review-codes`, the review policy's text form.
 */
export function runOptions(verbose: boolean, ocr: Partial<OcrSettings> = {}, review?: string): Options {
  return loadOptions(process.env, { ocr, logLevel: verbose ? "info" : undefined, review });
}

/** Storage and queue configuration: `--data`, then this process's environment. */
export function runConfig(data: string | boolean | undefined): Config {
  return loadConfig({ data: typeof data === "string" ? data : undefined }, process.env);
}

type OptionSpec = Record<string, { type: "string" | "boolean"; default?: string | boolean }>;

/** Options every service command takes (`--data`, `--workers`, `--verbose`, `--review-codes`) plus its own. */
export function common(
  args: string[],
  extra: OptionSpec = {},
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      workers: { type: "string" },
      verbose: { type: "boolean", default: false },
      "review-codes": { type: "string" },
      ...extra,
    },
  });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
}

/** `--review-codes` as given (a string), else undefined: the environment and the default decide. */
export const reviewFlag = (values: Record<string, string | boolean | undefined>): string | undefined =>
  typeof values["review-codes"] === "string" ? values["review-codes"] : undefined;

/** `values`: the command's parsed flags (`--verbose`, `--review-codes`). */
export async function withContext<T>(
  config: Config,
  workers: string | undefined,
  values: Record<string, string | boolean | undefined>,
  fn: (ctx: Context) => Promise<T>,
): Promise<T> {
  const options = runOptions(Boolean(values.verbose), {}, reviewFlag(values));
  const ctx = await openContext(config, {
    workers: workers ? Number(workers) : undefined,
    log: createLogger(options.logLevel),
    options,
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Queue mode needs a shared database: PGlite is one process at a time. */
export function requireSharedDb(config: Config): string | null {
  if (config.redisUrl && !config.databaseUrl) {
    return "REDIS_URL is set but DATABASE_URL is not: queue workers need a PostgreSQL server (PGlite is one process at a time)";
  }
  return null;
}

/** The context of a long-running command (worker, serve): checked configuration, then opened. */
export async function serviceContext(
  config: Config,
  values: Record<string, string | boolean | undefined>,
): Promise<Context | null> {
  const problem = requireSharedDb(config);
  if (problem) {
    err(`formex: ${problem}\n`);
    return null;
  }
  const options = runOptions(Boolean(values.verbose), {}, reviewFlag(values));
  return openContext(config, {
    workers: values.workers ? Number(values.workers) : undefined,
    log: createLogger(options.logLevel),
    options,
  });
}
