import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { openContext } from "../src/service/context.js";
import { startPrivatePostgres } from "./helpers/private-services.js";
import { bigBundle, exited, serviceEnv, spawnFormex, spawnWorker, waitUntil } from "./helpers/queue.js";
import { TEST_REDIS_URL, testConfig } from "./helpers/services.js";

/**
 * Issue 11, defect 1: a PostgreSQL restart used to kill every process using it (an idle pool
 * client's 57P01 was an uncaught 'error' event). Stopped for 20 s mid-batch, then started: every
 * worker stays up, every form is stored once, `ingest` waits it out and exits 0.
 */

const OUTAGE_MS = Number(process.env.FORMEX_TEST_PG_OUTAGE_MS ?? 20_000);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Reads from the private server, or null while it is down. */
async function progress(
  url: string,
  schema: string,
): Promise<{ docs: number; pages: number; done: number } | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT count(*)::int AS docs, COALESCE(sum(pages_done), 0)::int AS pages,
              count(*) FILTER (WHERE status = 'done')::int AS done FROM ${schema}.documents`,
    );
    return rows[0] as { docs: number; pages: number; done: number };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("PostgreSQL outage", () => {
  it(`stopped ${OUTAGE_MS / 1000} s mid-batch: workers survive, ingest waits and exits 0, every form stored once`, async () => {
    const db = await startPrivatePostgres();
    cleanups.push(db.cleanup);
    const t = testConfig("postgres", true);
    cleanups.push(() => rmSync(t.config.dataDir, { recursive: true, force: true }));
    const config = { ...t.config, databaseUrl: db.url, redisUrl: TEST_REDIS_URL };
    const dir = mkdtempSync(join(tmpdir(), "formex-pg-outage-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // 4 distinct bundles: 24 + 36 + 48 + 60 pages, 56 forms.
    for (const copies of [2, 3, 4, 5]) await bigBundle(dir, copies);

    const workers = [spawnWorker(config), spawnWorker(config)];
    cleanups.push(() => {
      for (const w of workers) w.kill("SIGKILL");
    });
    const ingest = spawnFormex(["ingest", dir], serviceEnv(config));
    cleanups.push(() => void ingest.kill("SIGKILL"));
    const ingestExit = exited(ingest);

    await waitUntil(
      "all four documents registered and some pages read",
      async () => {
        const p = await progress(db.url, config.schema);
        return p !== null && p.docs === 4 && p.pages > 0;
      },
      120_000,
    );
    const before = (await progress(db.url, config.schema))!;
    expect(before.done).toBeLessThan(4);
    await db.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect(workers.map((w) => w.exitCode)).toEqual([null, null]);
    expect(ingest.exitCode).toBeNull();
    const restarted = Date.now();
    await db.start();

    const code = await Promise.race([
      ingestExit,
      new Promise((r) => setTimeout(() => r("ingest still waiting"), 240_000)),
    ]);
    const recovery = (Date.now() - restarted) / 1000;
    expect(code, ingest.output()).toBe(0);
    expect(ingest.output()).toMatch(/PostgreSQL is unavailable; waiting for it/);
    expect(
      workers.map((w) => w.exitCode),
      workers.map((w) => w.output()).join("\n"),
    ).toEqual([null, null]);

    const client = new pg.Client(db.url);
    await client.connect();
    cleanups.push(() => client.end());
    const { rows } = await client.query(
      `SELECT d.name, d.status, count(f.id)::int AS forms, count(DISTINCT f.form_index)::int AS distinct_forms
       FROM ${config.schema}.documents d LEFT JOIN ${config.schema}.forms f ON f.document_id = d.id
       GROUP BY d.name, d.status ORDER BY d.name`,
    );
    expect(rows).toEqual(
      [24, 36, 48, 60].map((pages) => ({
        name: `bundle-${pages}.pdf`,
        status: "done",
        forms: pages / 3,
        distinct_forms: pages / 3,
      })),
    );
    process.stderr.write(
      `postgres outage: ${OUTAGE_MS / 1000} s down at ${before.pages} pages read; batch done ${recovery.toFixed(1)} s after the restart\n`,
    );
  }, 420_000);

  it("serve answers 503 while PostgreSQL is down and 200 once it is back", async () => {
    const db = await startPrivatePostgres();
    cleanups.push(db.cleanup);
    const t = testConfig("postgres");
    cleanups.push(() => rmSync(t.config.dataDir, { recursive: true, force: true }));
    const ctx = await openContext({ ...t.config, databaseUrl: db.url }, { workers: 1 });
    cleanups.push(() => ctx.close());
    const app = await buildApi(ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 1e6 });
    cleanups.push(() => app.close());
    expect((await app.inject({ method: "GET", url: "/api/status" })).statusCode).toBe(200);
    await db.stop();
    for (const url of ["/api/status", "/api/forms", "/", "/api/documents/1"]) {
      const res = await app.inject({ method: "GET", url });
      expect([url, res.statusCode]).toEqual([url, 503]);
      expect(res.json()).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
      expect(res.headers["retry-after"]).toBe("10");
    }
    await db.start();
    expect((await app.inject({ method: "GET", url: "/api/status" })).statusCode).toBe(200);
  }, 60_000);
});
