import { mkdir } from "node:fs/promises";

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
}

const SAFE_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(opts: DbOptions): Promise<Db> {
  const schema = opts.schema ?? "public";
  if (!SAFE_SCHEMA.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, schema) : openPglite(opts.dataDir, schema);
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

async function openPostgres(url: string, schema: string): Promise<Db> {
  const { default: pgModule } = await import("pg");
  // BIGINT and NUMERIC come back as strings by default; amounts here fit a double exactly.
  const types = pgModule.types;
  types.setTypeParser(20, (v: string) => Number(v));
  types.setTypeParser(1700, (v: string) => Number(v));
  const pool = new pgModule.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  const admin = await pool.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    admin.release();
  }
  return {
    kind: "postgres",
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await pool.query(text, params)).rows as T[],
    }),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn({
          query: async <T>(text: string, params?: unknown[]) => ({
            rows: (await client.query(text, params)).rows as T[],
          }),
        });
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
