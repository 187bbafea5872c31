import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExtractionSchema } from "../src/schema.js";
import { ROOT, runCliEnv } from "./helpers/cli.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL, testConfig, uniqueName } from "./helpers/services.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "formex-cli-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("formex ingest / results / status without a queue (PGlite)", () => {
  it("ingests in-process, then results and status read the stored forms", async () => {
    const data = dataDir();
    const env = { FORMEX_DATA: data };
    const ingest = await runCliEnv(
      ["ingest", join(ROOT, "fixtures/pdf/bundle-4forms.pdf"), join(ROOT, "fixtures/seed")],
      env,
    );
    expect(ingest.code).toBe(0);
    expect(ingest.stderr).toContain("bundle-4forms.pdf -> document 1 queued");
    const results = await runCliEnv(["results", "--jsonl"], env);
    expect(results.code).toBe(0);
    // Each printed form leads with its stored ids (test/cli-consistency.test.ts), then the contract.
    const forms = results.stdout
      .trim()
      .split("\n")
      .map((l) => {
        const { id, documentId, ...form } = JSON.parse(l) as { id: number; documentId: number };
        expect([typeof id, typeof documentId]).toEqual(["number", "number"]);
        return ExtractionSchema.parse(form);
      });
    expect(forms).toHaveLength(8);
    expect(new Set(forms.map((f) => f.source.file))).toEqual(
      new Set(["bundle-4forms.pdf", "forms-2018.txt"]),
    );
    const again = await runCliEnv(["ingest", join(ROOT, "fixtures/pdf/bundle-4forms.pdf")], env);
    expect(again.stderr).toContain("already submitted (document 1, done)");
    const status = await runCliEnv(["status", "--json"], env);
    expect(JSON.parse(status.stdout).documents).toMatchObject({ done: 2, failed: 0, queued: 0 });
  });

  it("extract stores what it prints; --no-store does not", async () => {
    const data = dataDir();
    const env = { FORMEX_DATA: data };
    expect(
      (
        await runCliEnv(
          ["extract", join(ROOT, "fixtures/pdf/f1-acroform.pdf"), "--jsonl", "--no-progress", "--no-store"],
          env,
        )
      ).code,
    ).toBe(0);
    expect((await runCliEnv(["results", "--jsonl"], env)).stdout.trim()).toBe("");
    const printed = await runCliEnv(
      ["extract", join(ROOT, "fixtures/pdf/f1-acroform.pdf"), "--jsonl", "--no-progress"],
      env,
    );
    const stored = await runCliEnv(["results", "--jsonl"], env);
    const { id: _id, documentId: _doc, ...form } = JSON.parse(stored.stdout) as Record<string, unknown>;
    expect(form).toEqual(JSON.parse(printed.stdout));
  });
});

describe("formex ingest with a queue", () => {
  it("queues files for a formex worker and waits, drawing progress, until they are read", async () => {
    const t = testConfig("postgres", true);
    cleanups.push(t.cleanup);
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: TEST_DATABASE_URL,
      FORMEX_QUEUE: t.config.queue,
      FORMEX_DB_SCHEMA: t.config.schema,
      FORMEX_DATA: t.config.dataDir,
    };
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/bin.ts"), "worker", "--workers", "1"],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: "ignore",
      },
    );
    cleanups.push(() => {
      worker.kill("SIGTERM");
    });
    const r = await runCliEnv(
      ["ingest", join(ROOT, "fixtures/pdf/bundle-4forms.pdf"), join(ROOT, "fixtures/bad/encrypted.pdf")],
      env,
    );
    expect(r.stderr).toContain("bundle-4forms.pdf -> document 1 queued");
    expect(r.stderr).toMatch(/\[#+\] 2\/2 documents, 12\/12 pages/);
    expect(r.stderr).toMatch(/FAILED encrypted\.pdf \[ENCRYPTED_PDF\]/);
    expect(r.code).toBe(1);
    const results = await runCliEnv(["results", "--jsonl"], env);
    expect(results.stdout.trim().split("\n")).toHaveLength(4);
  });
});

describe("queue configuration is checked before anything runs", () => {
  it("REDIS_URL without DATABASE_URL is refused with the reason", async () => {
    const r = await runCliEnv(["worker"], {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: "",
      FORMEX_DATA: dataDir(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DATABASE_URL is not");
  });

  it("a Redis that may evict keys is refused", async () => {
    const port = 6300 + Math.floor(Math.random() * 600);
    const redis = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--maxmemory-policy", "allkeys-lru"],
      { stdio: "ignore" },
    );
    cleanups.push(() => {
      redis.kill("SIGKILL");
    });
    await new Promise((r) => setTimeout(r, 400));
    const t = testConfig("postgres");
    cleanups.push(t.cleanup);
    const r = await runCliEnv(["worker"], {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DATABASE_URL: TEST_DATABASE_URL,
      FORMEX_DB_SCHEMA: t.config.schema,
      FORMEX_DATA: t.config.dataDir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('maxmemory-policy is "allkeys-lru"');
  });

  it("a worker exits cleanly on SIGTERM", async () => {
    const t = testConfig("postgres");
    cleanups.push(t.cleanup);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/bin.ts"), "worker", "--workers", "1"],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          REDIS_URL: TEST_REDIS_URL,
          DATABASE_URL: TEST_DATABASE_URL,
          FORMEX_QUEUE: uniqueName("q"),
          FORMEX_DB_SCHEMA: t.config.schema,
          FORMEX_DATA: t.config.dataDir,
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    await waitFor(() => stderr.includes("worker started"), 30_000);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code).toBe(0);
    expect(stderr).toContain("finishing the current jobs");
  });
});

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
