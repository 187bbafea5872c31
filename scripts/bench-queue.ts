/**
 * Queue throughput: forms per minute for a 400-form text-layer bundle read by 1 and by 2
 * `formex worker` processes (one page thread each), beside the in-process runner on one page
 * thread, all against the same PostgreSQL; the difference is the queue's overhead per job.
 * Run: `npm run bench:queue` (needs a build, Redis and PostgreSQL as in .ci/run).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "bench-out");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const FORMS = 400;

async function buildBundle(): Promise<string> {
  const src = await PDFDocument.load(readFileSync(join(ROOT, "fixtures/pdf/bundle-4forms.pdf")));
  const out = await PDFDocument.create();
  const pages = await out.copyPages(
    src,
    Array.from({ length: FORMS / 4 }, () => src.getPageIndices()).flat(),
  );
  for (const p of pages) out.addPage(p);
  const file = join(OUT, `bundle-${FORMS}-forms.pdf`);
  writeFileSync(file, await out.save());
  return file;
}

interface Run {
  label: string;
  seconds: number;
  forms: number;
  jobs: number;
}

async function run(label: string, file: string, workers: number): Promise<Run> {
  // Dist modules: the same code the CLI runs.
  const { openContext } = await import(join(ROOT, "dist/src/service/context.js"));
  const { submitFile, processDocument } = await import(join(ROOT, "dist/src/service/documents.js"));
  const { FormexQueue } = await import(join(ROOT, "dist/src/queue/queue.js"));
  const { getDocument, listForms } = await import(join(ROOT, "dist/src/store/repo.js"));
  const suffix = randomBytes(4).toString("hex");
  const config = {
    dataDir: join(OUT, `data-${suffix}`),
    databaseUrl: DATABASE_URL,
    redisUrl: workers > 0 ? REDIS_URL : undefined,
    queue: `formex_bench_${suffix}`,
    schema: `bench_${suffix}`,
  };
  mkdirSync(config.dataDir, { recursive: true });
  const ctx = await openContext(config, { workers: 1 });
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      children.push(
        spawn(process.execPath, [join(ROOT, "bin/formex.js"), "worker", "--workers", "1"], {
          env: {
            ...process.env,
            REDIS_URL,
            DATABASE_URL,
            FORMEX_QUEUE: config.queue,
            FORMEX_DB_SCHEMA: config.schema,
            FORMEX_DATA: config.dataDir,
          },
          stdio: "ignore",
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 3000)); // workers up before the clock starts
    const started = Date.now();
    const submitted = await submitFile(ctx, file);
    let jobs = 0;
    if (workers === 0) await processDocument(ctx, submitted.document.sha256);
    else {
      const queue = await FormexQueue.open(REDIS_URL, config.queue);
      await queue.enqueue(submitted);
      jobs = Math.ceil((submitted.document.pages ?? 0) / 10) + 1;
      while ((await getDocument(ctx.db, submitted.document.sha256))?.status !== "done")
        await new Promise((r) => setTimeout(r, 100));
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
    const seconds = (Date.now() - started) / 1000;
    const forms = (await listForms(ctx.db)).length;
    if (forms !== FORMS) throw new Error(`${label}: ${forms} forms stored, want ${FORMS}`);
    await ctx.db.query(`DROP SCHEMA ${config.schema} CASCADE`);
    return { label, seconds, forms, jobs };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await ctx.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const file = await buildBundle();
  const runs = [
    await run("in-process runner, 1 page thread", file, 0),
    await run("queue, 1 worker", file, 1),
    await run("queue, 2 workers", file, 2),
  ];
  const [inproc, one, two] = runs as [Run, Run, Run];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    `machine: ${machine}; ${FORMS} forms, ${FORMS * 3} pages; submit to last form stored, PostgreSQL`,
    "",
    "| runner | seconds | forms/min |",
    "|---|---|---|",
    ...runs.map(
      (r) => `| ${r.label} | ${r.seconds.toFixed(1)} | ${((r.forms / r.seconds) * 60).toFixed(0)} |`,
    ),
    "",
    `2 workers / 1 worker: ${(one.seconds / two.seconds).toFixed(2)}×`,
    `queue overhead per job (1 worker vs in-process, ${one.jobs} jobs): ${(((one.seconds - inproc.seconds) / one.jobs) * 1000).toFixed(0)} ms`,
  ];
  writeFileSync(join(OUT, "queue.json"), JSON.stringify({ machine, runs }, null, 2));
  console.log(lines.join("\n"));
}

await main();
// Library handles (pg, ioredis, worker threads) must not keep a finished benchmark alive.
process.exit(0);
