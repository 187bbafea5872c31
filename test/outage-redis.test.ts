import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterEach, describe, expect, it } from "vitest";
import { QueueUnavailableError } from "../src/errors.js";
import { FormexQueue } from "../src/queue/queue.js";
import { queueSubmitted } from "../src/queue/repair.js";
import { openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { getDocument, listForms } from "../src/store/repo.js";
import { startPrivateRedis } from "./helpers/private-services.js";
import {
  BUNDLE,
  bigBundle,
  exited,
  serviceEnv,
  spawnFormex,
  spawnWorker,
  waitUntil,
} from "./helpers/queue.js";
import { testConfig } from "./helpers/services.js";

/**
 * Issue 11, defect 2: a document registered while Redis is down, or whose job a Redis without
 * persistence lost, is never stranded: submission says so per file, the repair (worker start,
 * reconnection, resubmission) queues it again, and `ingest --wait` never waits on a document
 * that has no job.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The 12-page bundle with `mb` MiB of unreferenced noise: slow to store, quick to read. */
async function paddedBundle(dir: string, name: string, mb: number, seed: number): Promise<string> {
  const doc = await PDFDocument.load(readFileSync(BUNDLE));
  const noise = Buffer.alloc(mb * 1024 * 1024);
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  doc.context.register(doc.context.stream(noise));
  const file = join(dir, name);
  writeFileSync(file, await doc.save({ useObjectStreams: false }));
  return file;
}

function setup() {
  const t = testConfig("postgres", true);
  cleanups.push(t.cleanup);
  const dir = mkdtempSync(join(tmpdir(), "formex-redis-outage-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { config: t.config, dir };
}

describe("Redis outages", () => {
  it("stopped during submission: a clear per-file error, nothing stranded, resubmission completes", async () => {
    const redis = await startPrivateRedis("aof");
    cleanups.push(redis.cleanup);
    const { config: base, dir } = setup();
    const config = { ...base, redisUrl: redis.url };
    const files = [await bigBundle(dir, 1, "a.pdf")];
    for (const [i, name] of ["b.pdf", "c.pdf", "d.pdf"].entries())
      files.push(await paddedBundle(dir, name, 12, i));
    const ctx = await openContext(config, { workers: 1 });
    cleanups.push(() => ctx.close());

    const first = spawnFormex(["ingest", dir], serviceEnv(config));
    cleanups.push(() => void first.kill("SIGKILL"));
    await waitUntil("the first file to be registered", async () => (await getDocument(ctx.db, 1)) !== null);
    await redis.stop();
    await waitUntil("a file refused for want of Redis", async () => /QUEUE_UNAVAILABLE/.test(first.output()));
    const refused = first
      .output()
      .match(/formex: \S+\/[bcd]\.pdf: QUEUE_UNAVAILABLE .*registered but not queued/g);
    expect(refused?.length ?? 0, first.output()).toBeGreaterThan(0);
    expect(first.output()).toMatch(/run this ingest again once Redis is back, or start a worker/);

    // Redis back, a worker started: its repair queues what was registered but not queued.
    await redis.start();
    const worker = spawnWorker(config);
    cleanups.push(() => void worker.kill("SIGKILL"));
    expect(await exited(first), first.output()).toBe(1);
    await waitUntil(
      "every document to be read",
      async () =>
        (await Promise.all([1, 2, 3, 4].map((id) => getDocument(ctx.db, id)))).every(
          (d) => d?.status === "done",
        ),
      120_000,
    );
    const again = spawnFormex(["ingest", dir], serviceEnv(config));
    cleanups.push(() => void again.kill("SIGKILL"));
    expect(await exited(again), again.output()).toBe(0);
    expect(again.output()).toMatch(/d\.pdf -> document \d+ already submitted \(document \d+, done\)/);
    expect(await listForms(ctx.db)).toHaveLength(16);
  }, 240_000);

  it("Redis down: the enqueue fails clearly, the document stays queued, a resubmission queues it", async () => {
    const redis = await startPrivateRedis("none");
    cleanups.push(redis.cleanup);
    const { config: base } = setup();
    const config = { ...base, redisUrl: redis.url };
    const ctx = await openContext(config, { workers: 1 });
    cleanups.push(() => ctx.close());
    const queue = await FormexQueue.open(redis.url, config.queue);
    cleanups.push(() => queue.close());

    await redis.stop();
    const s = await submitFile(ctx, BUNDLE);
    await expect(queueSubmitted(ctx.db, queue, s)).rejects.toBeInstanceOf(QueueUnavailableError);
    expect((await getDocument(ctx.db, s.document.sha256))?.status).toBe("queued");

    // Redis still down: ingest cannot open the queue, says so, registers nothing, exits 1.
    const down = spawnFormex(["ingest", BUNDLE], serviceEnv(config));
    cleanups.push(() => void down.kill("SIGKILL"));
    expect(await exited(down)).toBe(1);
    expect(down.output()).toMatch(/formex: QUEUE_UNAVAILABLE Redis is unavailable/);

    // Back up: the resubmission finds the document without a job and queues it.
    await redis.start();
    const again = spawnFormex(["ingest", "--detach", BUNDLE], serviceEnv(config));
    cleanups.push(() => void again.kill("SIGKILL"));
    expect(await exited(again), again.output()).toBe(0);
    expect(again.output()).toMatch(
      /bundle-4forms\.pdf -> document 1 already submitted \(document 1, queued\) and had no job in the queue: queued again/,
    );
    await waitUntil(
      "the producer to reconnect",
      async () => (await queue.jobState(s.document.sha256).catch(() => null)) !== null,
    );
    expect(await queue.jobState(s.document.sha256)).toBe("waiting-children");
    expect(await queueSubmitted(ctx.db, queue, await submitFile(ctx, BUNDLE))).toBe("present");
  }, 120_000);

  it("restarted without persistence mid-batch: the repair brings every unfinished document back", async () => {
    const redis = await startPrivateRedis("none");
    cleanups.push(redis.cleanup);
    const { config: base, dir } = setup();
    const config = { ...base, redisUrl: redis.url };
    for (const copies of [2, 3, 4, 5]) await bigBundle(dir, copies);
    const ctx = await openContext(config, { workers: 1 });
    cleanups.push(() => ctx.close());

    const worker = spawnWorker(config);
    cleanups.push(() => void worker.kill("SIGKILL"));
    const ingest = spawnFormex(["ingest", dir], serviceEnv(config));
    cleanups.push(() => void ingest.kill("SIGKILL"));
    const docs = async () =>
      (await Promise.all([1, 2, 3, 4].map((id) => getDocument(ctx.db, id)))).filter((d) => d !== null);
    await waitUntil("every document registered and some pages read", async () => {
      const d = await docs();
      return d.length === 4 && d.some((x) => x.pages_done > 0);
    });
    expect((await docs()).filter((d) => d.status === "done").length).toBeLessThan(4);
    await redis.stop(); // no append-only file: every job is gone
    await redis.start();
    const restarted = Date.now();
    await waitUntil(
      "the repair to queue the documents again",
      async () => /queued again/.test(worker.output() + ingest.output()),
      60_000,
    );
    const repaired = (Date.now() - restarted) / 1000;

    expect(await exited(ingest), ingest.output()).toBe(0);
    const finished = (Date.now() - restarted) / 1000;
    expect((await docs()).map((d) => d.status)).toEqual(["done", "done", "done", "done"]);
    const forms = await listForms(ctx.db);
    expect(forms).toHaveLength(56);
    expect(worker.exitCode).toBeNull();
    process.stderr.write(
      `redis without persistence: documents queued again ${repaired.toFixed(1)} s after the restart, batch done after ${finished.toFixed(1)} s\n`,
    );
  }, 240_000);
});
