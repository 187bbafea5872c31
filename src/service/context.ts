import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createLogger } from "../log.js";
import { DEFAULT_OPTIONS, type Options } from "../options.js";
import { DEFAULTS } from "../run/document.js";
import { PagePool } from "../run/pool.js";
import { type Db, openDb } from "../store/db.js";
import { migrate } from "../store/migrations.js";
import { applyReviewPolicy } from "../store/review-policy.js";

/** What every service command holds: the database (migrated), the page pool, limits, a logger. */
export interface Context {
  config: Config;
  db: Db;
  pool: PagePool;
  log: Logger;
  /** The entry point's options: the review policy every stored form and the queue are judged by. */
  options: Options;
  limits: { maxBytes: number; maxPages: number };
  close(): Promise<void>;
}

export async function openContext(
  config: Config,
  opts: { workers?: number | undefined; pageTimeoutMs?: number; log?: Logger; options?: Options } = {},
): Promise<Context> {
  // The entry point's options (flags, env, defaults); a caller that gives none gets the defaults.
  const options = opts.options ?? DEFAULT_OPTIONS;
  const log = opts.log ?? createLogger(options.logLevel);
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.schema,
    onConnectionError: (err) =>
      log.warn({ err: err.message }, "database connection lost; reconnecting on the next query"),
  });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ applied, db: db.kind }, "database migrated");
    const remarked = await applyReviewPolicy(db, options.review);
    if (remarked > 0)
      log.info({ remarked, policy: options.review.codes }, "forms judged again by the review policy");
  } catch (err) {
    await db.close();
    throw err;
  }
  const pool = new PagePool(
    opts.workers,
    opts.pageTimeoutMs ?? DEFAULTS.pageTimeoutMs,
    options.ocr,
    options.workerHeapMb,
  );
  return {
    config,
    db,
    pool,
    log,
    options,
    limits: { maxBytes: DEFAULTS.maxBytes, maxPages: DEFAULTS.maxPages },
    close: async () => {
      await pool.close();
      await db.close();
    },
  };
}
