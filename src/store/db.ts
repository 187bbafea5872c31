import { mkdir } from "node:fs/promises";
import { outageOr } from "./outage.js";

/**
 * One SQL interface over both backends: embedded PGlite in a data folder (the default) and a real
 * PostgreSQL server (`DATABASE_URL`, through `pg`). Same SQL, same migrations. `schema` puts every
 * table in its own Postgres schema (tests use a fresh one each).
 */

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction; the transaction's queries go through its argument. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… to use a server; otherwise PGlite in `dataDir/pg`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Postgres schema for every table (default `public`). */
  schema?: string;
  /** Told of connection errors the pool recovers from (a server restart); without it they are dropped. */
  onConnectionError?: (err: Error) => void;
}

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(opts: DbOptions): Promise<Db> {
  const schema = opts.schema ?? "public";
  if (!SAFE_SCHEMA.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return opts.databaseUrl
    ? openPostgres(opts.databaseUrl, schema, opts.onConnectionError ?? (() => undefined))
    : openPglite(opts.dataDir, schema);
}

async function openPglite(dataDir: string, schema: string): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(`${dataDir}/pg`);
  await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  return {
    kind: "pglite",
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await pg.query<T>(text, params)).rows }),
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: async <T>(text: string, params?: unknown[]) => ({
            rows: (await tx.query<T>(text, params)).rows,
          }),
        }),
      ),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    close: () => pg.close(),
  };
}

/** Rethrows an outage as DatabaseUnavailableError (retried by the queue, 503 from the API). */
const guarded = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw outageOr(err);
  });

async function openPostgres(
  url: string,
  schema: string,
  onConnectionError: (err: Error) => void,
): Promise<Db> {
  const { default: pgModule } = await import("pg");
  // BIGINT and NUMERIC come back as strings by default; amounts here fit a double exactly.
  const types = pgModule.types;
  types.setTypeParser(20, (v: string) => Number(v));
  types.setTypeParser(1700, (v: string) => Number(v));
  const pool = new pgModule.Pool({
    connectionString: url,
    max: 4,
    options: `-c search_path=${schema}`,
    // An unreachable server fails a query in 10 s instead of hanging it; dead peers are noticed.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // An idle client whose server went away (a restart: 57P01) is an 'error' event: unhandled, it kills the process.
  pool.on("error", onConnectionError);
  const admin = await guarded(pool.connect());
  let lost: Error | undefined;
  try {
    // IF NOT EXISTS is not race-safe: two processes starting together both insert into pg_namespace.
    await guarded(admin.query("SELECT pg_advisory_lock(4242017)"));
    try {
      await guarded(admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`));
    } finally {
      await admin.query("SELECT pg_advisory_unlock(4242017)").catch((e: Error) => {
        lost = e;
      });
    }
  } finally {
    // A connection that could not unlock is destroyed, so no pooled client keeps the lock.
    admin.release(lost);
  }
  return {
    kind: "postgres",
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await guarded(pool.query(text, params))).rows as T[],
    }),
    transaction: async (fn) => {
      const client = await guarded(pool.connect());
      // A checked-out client has no pool listener: its connection dying between queries is ours to catch.
      let lost: Error | undefined;
      const onLost = (err: Error) => {
        lost = err;
        onConnectionError(err);
      };
      client.on("error", onLost);
      try {
        await client.query("BEGIN");
        const out = await fn({
          query: async <T>(text: string, params?: unknown[]) => ({
            rows: (await guarded(client.query(text, params))).rows as T[],
          }),
        });
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => {
          lost ??= e;
        });
        throw outageOr(err);
      } finally {
        client.off("error", onLost);
        // A client whose connection failed is destroyed, not handed to the next caller.
        client.release(lost);
      }
    },
    exec: async (sql) => {
      await guarded(pool.query(sql));
    },
    close: () => pool.end(),
  };
}
