import { resolve } from "node:path";

/** Configuration from flags or the environment; flags win. */
export interface Config {
  /** The data folder: PGlite database and stored files. */
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** BullMQ queue name, so several deployments can share one Redis. */
  queue: string;
  /** Postgres schema for formex's tables. */
  schema: string;
}

/** `env`: the entry point's environment, passed in: below the entry points nothing reads it. */
export function loadConfig(
  flags: { data?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Config {
  return {
    dataDir: resolve(flags.data ?? env.FORMEX_DATA ?? "formex-data"),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    queue: env.FORMEX_QUEUE || "formex",
    schema: env.FORMEX_DB_SCHEMA || "public",
  };
}
