import { basename } from "node:path";
import { parseArgs } from "node:util";
import { type Config, loadConfig } from "./config.js";
import { type ExportFormat, exportTables } from "./export/export.js";
import { createLogger } from "./log.js";
import { FormexQueue, startWorker } from "./queue/queue.js";
import { expandInputs } from "./run/batch.js";
import { InputError } from "./run/stages.js";
import { buildApi } from "./server/api.js";
import { loadReviewers } from "./server/auth.js";
import { type Context, openContext } from "./service/context.js";
import { processDocument, type Submitted, submitFile } from "./service/documents.js";
import { documentCounts, getDocument, listForms } from "./store/repo.js";

/** `formex results | ingest | worker | status | serve`: the stored, queued side of formex. */

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);

type OptionSpec = Record<string, { type: "string" | "boolean"; default?: string | boolean }>;

/** Options every service command takes (`--data`, `--workers`, `--verbose`) plus its own. */
function common(
  args: string[],
  extra: OptionSpec = {},
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      workers: { type: "string" },
      verbose: { type: "boolean", default: false },
      ...extra,
    },
  });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
}

async function withContext<T>(
  config: Config,
  workers: string | undefined,
  verbose: boolean,
  fn: (ctx: Context) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(config, {
    workers: workers ? Number(workers) : undefined,
    log: createLogger(verbose ? "info" : undefined),
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Queue mode needs a shared database: PGlite is one process at a time. */
function requireSharedDb(config: Config): string | null {
  if (config.redisUrl && !config.databaseUrl) {
    return "REDIS_URL is set but DATABASE_URL is not: queue workers need a PostgreSQL server (PGlite is one process at a time)";
  }
  return null;
}

/** The context of a long-running command (worker, serve): checked configuration, then opened. */
async function serviceContext(
  config: Config,
  values: Record<string, string | boolean | undefined>,
): Promise<Context | null> {
  const problem = requireSharedDb(config);
  if (problem) {
    err(`formex: ${problem}\n`);
    return null;
  }
  return openContext(config, {
    workers: values.workers ? Number(values.workers) : undefined,
    log: createLogger(values.verbose ? "info" : undefined),
  });
}

export async function resultsCommand(args: string[]): Promise<number> {
  const { values } = common(args, {
    jsonl: { type: "boolean", default: false },
    flagged: { type: "boolean", default: false },
  });
  const config = loadConfig({ data: values.data as string | undefined });
  return withContext(config, "1", Boolean(values.verbose), async (ctx) => {
    const forms = await listForms(ctx.db, values.flagged ? { flagged: true } : {});
    for (const f of forms) out(values.jsonl ? `${JSON.stringify(f)}\n` : `${JSON.stringify(f, null, 2)}\n`);
    err(
      `formex: ${forms.length} forms${values.flagged ? " needing review" : ""} in ${ctx.db.kind === "pglite" ? config.dataDir : "PostgreSQL"}\n`,
    );
    return 0;
  });
}

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = common(args, {
    wait: { type: "boolean" },
    detach: { type: "boolean", default: false },
  });
  if (positionals.length === 0) {
    err("formex: ingest needs at least one file or folder\n");
    return 2;
  }
  const config = loadConfig({ data: values.data as string | undefined });
  const problem = requireSharedDb(config);
  if (problem) {
    err(`formex: ${problem}\n`);
    return 2;
  }
  const files = await expandInputs(positionals);
  return withContext(config, values.workers as string | undefined, Boolean(values.verbose), async (ctx) => {
    const queue = config.redisUrl ? await FormexQueue.open(config.redisUrl, config.queue, ctx.log) : null;
    const submitted: Submitted[] = [];
    let failed = 0;
    try {
      for (const file of files) {
        try {
          const s = await submitFile(ctx, file);
          submitted.push(s);
          if (queue) await queue.enqueue(s);
          const note = s.created
            ? s.kind === null
              ? `failed: ${s.document.errors[0]?.code}`
              : "queued"
            : `already submitted (document ${s.document.id}, ${s.document.status})`;
          err(`formex: ${basename(file)} -> document ${s.document.id} ${note}\n`);
        } catch (e) {
          failed++;
          err(
            `formex: ${file}: ${e instanceof InputError ? `${e.error.code} ${e.error.message}` : (e as Error).message}\n`,
          );
        }
      }
      if (!queue) {
        // No queue configured: the in-process runner reads them here, one after another.
        for (const s of submitted.filter((x) => x.created && x.kind !== null)) {
          await processDocument(ctx, s.document.sha256);
          err(`formex: ${s.document.name} done\n`);
        }
      } else if (!values.detach && values.wait !== false) {
        await waitFor(
          ctx,
          submitted.map((s) => s.document.sha256),
        );
      }
    } finally {
      await queue?.close();
    }
    const docs = await Promise.all(submitted.map((s) => getDocument(ctx.db, s.document.sha256)));
    const bad = docs.filter((d) => d?.status === "failed");
    for (const d of bad)
      err(
        `formex: FAILED ${d?.name} ${(d?.errors ?? []).map((e) => `[${e.code}] ${e.message}`).join("; ")}\n`,
      );
    return failed + bad.length > 0 ? 1 : 0;
  });
}

/** Polls the documents until every one is done or failed, drawing a progress bar on stderr. */
async function waitFor(ctx: Context, shas: string[]): Promise<void> {
  const tty = Boolean(process.stderr.isTTY);
  let last = "";
  while (true) {
    const docs = (await Promise.all(shas.map((s) => getDocument(ctx.db, s)))).filter((d) => d !== null);
    const finished = docs.filter((d) => d.status === "done" || d.status === "failed").length;
    const pages = docs.reduce((n, d) => n + (d.pages ?? 0), 0);
    const read = docs.reduce((n, d) => n + (d.status === "done" ? (d.pages ?? 0) : d.pages_done), 0);
    const width = 30;
    const fill = pages > 0 ? Math.round((read / pages) * width) : finished === docs.length ? width : 0;
    const line = `formex: [${"#".repeat(fill)}${"-".repeat(width - fill)}] ${finished}/${docs.length} documents, ${read}/${pages} pages`;
    if (tty) err(`\r\u001b[2K${line}`);
    else if (line !== last) err(`${line}\n`);
    last = line;
    if (finished === docs.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (tty) err("\n");
}

export async function workerCommand(args: string[]): Promise<number> {
  const { values } = common(args, { "lock-ms": { type: "string" } });
  const config = loadConfig({ data: values.data as string | undefined });
  if (!config.redisUrl) {
    err(
      "formex: worker needs REDIS_URL (without it, `formex ingest` and `formex serve` read documents themselves)\n",
    );
    return 2;
  }
  const ctx = await serviceContext(config, values);
  if (!ctx) return 2;
  const lockMs = Number(values["lock-ms"] ?? process.env.FORMEX_LOCK_MS ?? 30_000);
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker(ctx, config.redisUrl, { lockDurationMs: lockMs, stalledIntervalMs: lockMs });
  } catch (e) {
    await ctx.close();
    throw e;
  }
  ctx.log.warn({ queue: config.queue, threads: ctx.pool.size }, "worker started");
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      ctx.log.warn({ signal }, "finishing the current jobs, then exiting");
      // close() waits for active jobs; past the grace period, force it (their locks lapse and
      // another worker picks them up as stalled).
      const grace = setTimeout(() => void worker.close(true), 60_000);
      await worker.close();
      clearTimeout(grace);
      await ctx.close();
      resolve(0);
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = common(args, { json: { type: "boolean", default: false } });
  const config = loadConfig({ data: values.data as string | undefined });
  return withContext(config, "1", Boolean(values.verbose), async (ctx) => {
    const documents = await documentCounts(ctx.db);
    const queue = config.redisUrl ? await FormexQueue.open(config.redisUrl, config.queue, ctx.log) : null;
    const jobs = queue ? await queue.counts() : null;
    await queue?.close();
    const { rows: active } = await ctx.db.query<{
      id: number;
      name: string;
      pages: number | null;
      pages_done: number;
      status: string;
    }>(
      "SELECT id, name, pages, pages_done, status FROM documents WHERE status IN ('queued', 'processing') ORDER BY id LIMIT 50",
    );
    if (values.json) {
      out(`${JSON.stringify({ documents, jobs, active }, null, 2)}\n`);
      return 0;
    }
    out(
      `documents: ${Object.entries(documents)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}\n`,
    );
    if (jobs)
      out(
        `jobs (${config.queue}): ${Object.entries(jobs)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}\n`,
      );
    for (const d of active)
      out(`  #${d.id} ${d.name}: ${d.status} ${d.pages_done}/${d.pages ?? "?"} pages\n`);
    return 0;
  });
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = common(args, {
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    "max-upload-mb": { type: "string", default: "200" },
  });
  const config = loadConfig({ data: values.data as string | undefined });
  const host = String(values.host);
  const reviewers = loadReviewers();
  const loopback = host === "127.0.0.1" || host === "localhost" || host === "::1";
  if (!loopback && reviewers.byToken.size === 0) {
    err(
      `formex: serving on ${host} exposes the data; set FORMEX_TOKEN or FORMEX_REVIEWERS=name:token,… (clients send Authorization: Bearer <token>)\n`,
    );
    return 2;
  }
  const ctx = await serviceContext(config, values);
  if (!ctx) return 2;
  const queue = config.redisUrl ? await FormexQueue.open(config.redisUrl, config.queue, ctx.log) : null;
  const app = await buildApi(ctx, {
    queue,
    reviewers,
    maxUploadBytes: Number(values["max-upload-mb"]) * 1024 * 1024,
  });
  const address = await app.listen({ port: Number(values.port), host });
  err(
    `formex: serving ${address} (${queue ? `queue ${config.queue}` : "in-process runner"}, ${ctx.db.kind})\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = async () => {
      await app.close();
      await queue?.close();
      await ctx.close();
      resolve(0);
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
  });
}

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = common(args, { format: { type: "string", default: "csv" }, out: { type: "string" } });
  const format = String(values.format);
  if (!["csv", "jsonl", "parquet"].includes(format) || typeof values.out !== "string") {
    err("formex: export needs --format csv|jsonl|parquet and --out DIR\n");
    return 2;
  }
  const config = loadConfig({ data: values.data as string | undefined });
  return withContext(config, "1", Boolean(values.verbose), async (ctx) => {
    const counts = await exportTables(ctx.db, format as ExportFormat, String(values.out));
    err(
      `formex: exported ${Object.entries(counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(", ")} to ${values.out} (${format})\n`,
    );
    return 0;
  });
}
