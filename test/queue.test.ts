import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../src/config.js";
import { extractFile } from "../src/extract.js";
import { FormexQueue, startWorker } from "../src/queue/queue.js";
import { type Context, openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { getDocument, listForms } from "../src/store/repo.js";
import { ROOT } from "./helpers/cli.js";
import { TEST_REDIS_URL, testConfig } from "./helpers/services.js";

const BUNDLE = join(ROOT, "fixtures/pdf/bundle-4forms.pdf");

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A bundle of `copies` × the 4-form fixture bundle (12 pages each), written to `dir`. */
async function bigBundle(dir: string, copies: number): Promise<string> {
  const src = await PDFDocument.load(readFileSync(BUNDLE));
  const out = await PDFDocument.create();
  const pages = await out.copyPages(src, Array.from({ length: copies }, () => src.getPageIndices()).flat());
  for (const p of pages) out.addPage(p);
  const file = join(dir, `bundle-${copies * 12}.pdf`);
  writeFileSync(file, await out.save());
  return file;
}

function spawnWorker(config: Config, redisUrl: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/bin.ts"), "worker", "--workers", "1"], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      DATABASE_URL: config.databaseUrl,
      FORMEX_QUEUE: config.queue,
      FORMEX_DB_SCHEMA: config.schema,
      FORMEX_DATA: config.dataDir,
      FORMEX_LOCK_MS: "2000",
      FORMEX_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function setup(
  redisUrl = TEST_REDIS_URL,
): Promise<{ ctx: Context; queue: FormexQueue; config: Config }> {
  const t = testConfig("postgres", true);
  t.config.redisUrl = redisUrl;
  cleanups.push(t.cleanup);
  const ctx = await openContext(t.config, { workers: 1 });
  cleanups.push(() => ctx.close());
  const queue = await FormexQueue.open(redisUrl, t.config.queue);
  cleanups.push(async () => {
    await queue.queue.obliterate({ force: true });
    await queue.close();
  });
  return { ctx, queue, config: t.config };
}

describe("queue-driven pipeline (real Redis, real PostgreSQL)", () => {
  it("a worker reads a queued bundle into the same forms as formex extract; resubmitting is a no-op", async () => {
    const { ctx, queue } = await setup();
    const worker = await startWorker(ctx, TEST_REDIS_URL, { lockDurationMs: 5000, stalledIntervalMs: 5000 });
    cleanups.push(() => worker.close());

    const [a, b] = await Promise.all([submitFile(ctx, BUNDLE), submitFile(ctx, BUNDLE)]);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    await Promise.all([queue.enqueue(a), queue.enqueue(b)]);
    const sha = a.document.sha256;
    await waitUntil("the bundle to be read", async () => (await getDocument(ctx.db, sha))?.status === "done");

    const stored = await listForms(ctx.db);
    const direct = await extractFile(BUNDLE);
    expect(stored.map((f) => f.form)).toEqual(direct.forms.map((f) => f.form));
    expect(stored.map((f) => f.flags.map((x) => x.code))).toEqual(
      direct.forms.map((f) => f.flags.map((x) => x.code)),
    );

    const again = await submitFile(ctx, BUNDLE);
    expect(again.created).toBe(false);
    expect(again.document.status).toBe("done");
    expect((await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM documents")).rows[0]!.n).toBe(
      1,
    );
    expect(await listForms(ctx.db)).toHaveLength(4);
  });

  it("a scanned PDF goes through the queue: the worker OCRs its pages, the stored form says so", async () => {
    const { ctx, queue } = await setup();
    const worker = await startWorker(ctx, TEST_REDIS_URL, { lockDurationMs: 5000, stalledIntervalMs: 5000 });
    cleanups.push(() => worker.close());
    const scan = join(ROOT, "fixtures/scan/s3-bw200.pdf");
    const submitted = await submitFile(ctx, scan);
    expect(submitted.kind).toBe("paged");
    await queue.enqueue(submitted);
    await waitUntil(
      "the scan to be read",
      async () => (await getDocument(ctx.db, submitted.document.sha256))?.status === "done",
      180_000,
    );
    const [stored] = await listForms(ctx.db);
    const want = JSON.parse(readFileSync(join(ROOT, "fixtures/expected/scan/s3-bw200.json"), "utf8"))[0];
    expect([stored?.form.projectType, stored?.form.fundUse]).toEqual([
      want.form.projectType,
      want.form.fundUse,
    ]);
    expect(stored?.form.currentYearBudget).toBe(want.form.currentYearBudget);
    expect(stored?.form.indicators).toHaveLength(want.form.indicators.length);
    expect(Object.values(stored?.fields ?? {}).every((f) => f.source === "ocr")).toBe(true);
  }, 240_000);

  it("bad input is recorded on its document and never queued for retries", async () => {
    const { ctx } = await setup();
    const s = await submitFile(ctx, join(ROOT, "fixtures/bad/encrypted.pdf"));
    expect(s.kind).toBeNull();
    const doc = await getDocument(ctx.db, s.document.sha256);
    expect(doc?.status).toBe("failed");
    expect(doc?.errors.map((e) => e.code)).toEqual(["ENCRYPTED_PDF"]);
  });

  it("a worker SIGKILLed mid-document: another finishes it, every form stored exactly once", async () => {
    const { ctx, queue, config } = await setup();
    const dir = mkdtempSync(join(tmpdir(), "formex-kill-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = await bigBundle(dir, 10); // 120 pages, 40 forms, 12 page jobs
    const victim = spawnWorker(config, TEST_REDIS_URL);
    const survivor = spawnWorker(config, TEST_REDIS_URL);
    cleanups.push(async () => {
      victim.kill("SIGKILL");
      survivor.kill("SIGTERM");
    });
    const s = await submitFile(ctx, file);
    await queue.enqueue(s);
    const sha = s.document.sha256;
    await waitUntil(
      "some pages to be read",
      async () => ((await getDocument(ctx.db, sha))?.pages_done ?? 0) > 0,
    );
    victim.kill("SIGKILL");
    await waitUntil(
      "the document to be finished by the other worker",
      async () => (await getDocument(ctx.db, sha))?.status === "done",
      120_000,
    );
    const forms = await listForms(ctx.db);
    expect(forms).toHaveLength(40);
    expect(forms.map((f) => f.source.formIndex)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(forms.every((f) => f.form.projectName !== null)).toBe(true);
  });

  it("Redis restarted mid-batch: the batch completes", async () => {
    const redisDir = mkdtempSync(join(tmpdir(), "formex-redis-"));
    const port = 6300 + Math.floor(Math.random() * 600);
    const startRedis = () =>
      spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--appendonly",
          "yes",
          "--appendfsync",
          "always",
          "--dir",
          redisDir,
          "--save",
          "",
        ],
        {
          stdio: "ignore",
        },
      );
    let redis = startRedis();
    cleanups.push(async () => {
      redis.kill("SIGKILL");
      rmSync(redisDir, { recursive: true, force: true });
    });
    const url = `redis://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 500));
    const { ctx, queue, config } = await setup(url);
    const worker = spawnWorker(config, url);
    cleanups.push(async () => {
      worker.kill("SIGKILL");
    });
    const dir = mkdtempSync(join(tmpdir(), "formex-restart-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const files = [await bigBundle(dir, 4), BUNDLE];
    const submitted: Awaited<ReturnType<typeof submitFile>>[] = [];
    for (const f of files) {
      const s = await submitFile(ctx, f);
      await queue.enqueue(s);
      submitted.push(s);
    }
    await waitUntil(
      "some pages to be read",
      async () => ((await getDocument(ctx.db, submitted[0]!.document.sha256))?.pages_done ?? 0) > 0,
    );
    redis.kill("SIGTERM"); // shuts down, fsyncs the append-only file
    await new Promise((r) => redis.once("exit", r));
    await new Promise((r) => setTimeout(r, 1500));
    redis = startRedis();
    await waitUntil(
      "every document to finish after the restart",
      async () => {
        const docs = await Promise.all(submitted.map((s) => getDocument(ctx.db, s.document.sha256)));
        return docs.every((d) => d?.status === "done");
      },
      120_000,
    );
    expect(await listForms(ctx.db)).toHaveLength(16 + 4);
  });
});
