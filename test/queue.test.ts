import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../src/config.js";
import { FormexQueue } from "../src/queue/queue.js";
import { queueSubmitted } from "../src/queue/repair.js";
import { startWorker } from "../src/queue/worker.js";
import { type Context, openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { getDocument, listForms } from "../src/store/repo.js";
import { ROOT } from "./helpers/cli.js";
import { extractFile } from "./helpers/extract.js";
import { startPrivateRedis } from "./helpers/private-services.js";
import { BUNDLE, bigBundle, spawnWorker, waitUntil } from "./helpers/queue.js";
import { TEST_REDIS_URL, testConfig } from "./helpers/services.js";

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
    await Promise.all([queueSubmitted(ctx.db, queue, a), queueSubmitted(ctx.db, queue, b)]);
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
    await queueSubmitted(ctx.db, queue, submitted);
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
    await queueSubmitted(ctx.db, queue, s);
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
    const redis = await startPrivateRedis("aof");
    cleanups.push(redis.cleanup);
    const url = redis.url;
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
      await queueSubmitted(ctx.db, queue, s);
      submitted.push(s);
    }
    await waitUntil(
      "some pages to be read",
      async () => ((await getDocument(ctx.db, submitted[0]!.document.sha256))?.pages_done ?? 0) > 0,
    );
    await redis.stop(); // shuts down, fsyncs the append-only file
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
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
