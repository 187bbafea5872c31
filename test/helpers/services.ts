import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../src/config.js";

/** The real services tests use: .ci/run starts them (Redis and PostgreSQL on node-svc machines). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString("hex")}`;

/** A fresh data folder, schema and queue name; `cleanup` drops the schema and the folder. */
export function testConfig(
  backend: "pglite" | "postgres",
  redis = false,
): { config: Config; cleanup: () => Promise<void> } {
  const dataDir = mkdtempSync(join(tmpdir(), "formex-test-"));
  const config: Config = {
    dataDir,
    databaseUrl: backend === "postgres" ? TEST_DATABASE_URL : undefined,
    redisUrl: redis ? TEST_REDIS_URL : undefined,
    queue: uniqueName("formex_test"),
    schema: uniqueName("t"),
  };
  return {
    config,
    cleanup: async () => {
      if (backend === "postgres") {
        const { default: pg } = await import("pg");
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${config.schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
