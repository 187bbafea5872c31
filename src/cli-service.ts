import { common, err, out, runConfig, serviceContext, withContext } from "./cli-common.js";
import { resultRecord } from "./cli-order.js";
import { type ExportFormat, exportTables } from "./export/export.js";
import { FormexQueue } from "./queue/queue.js";
import { startWorker } from "./queue/worker.js";
import { buildApi } from "./server/api.js";
import { loadReviewers } from "./server/auth.js";
import { LOOPBACK_HOSTS } from "./server/guard.js";
import { documentCounts, listStoredForms } from "./store/repo.js";

/** `formex results | worker | status | serve | export`: the stored, queued side of formex (ingest: cli-ingest.ts). */

export async function resultsCommand(args: string[]): Promise<number> {
  const { values } = common(args, {
    jsonl: { type: "boolean", default: false },
    flagged: { type: "boolean", default: false },
  });
  const config = runConfig(values.data);
  return withContext(config, "1", values, async (ctx) => {
    const forms = (await listStoredForms(ctx.db, values.flagged ? { flagged: true } : {})).map(resultRecord);
    for (const f of forms) out(values.jsonl ? `${JSON.stringify(f)}\n` : `${JSON.stringify(f, null, 2)}\n`);
    err(
      `formex: ${forms.length} forms${values.flagged ? " needing review" : ""} in ${ctx.db.kind === "pglite" ? config.dataDir : "PostgreSQL"}\n`,
    );
    return 0;
  });
}

export async function workerCommand(args: string[]): Promise<number> {
  const { values } = common(args, { "lock-ms": { type: "string" } });
  const config = runConfig(values.data);
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
  const config = runConfig(values.data);
  return withContext(config, "1", values, async (ctx) => {
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
  const config = runConfig(values.data);
  const host = String(values.host);
  const reviewers = loadReviewers(process.env);
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
    // On loopback a page from any site could reach us by DNS rebinding: answer to loopback names only.
    // Elsewhere every request needs a token, which such a page cannot have.
    allowedHosts: loopback ? LOOPBACK_HOSTS : null,
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
  const config = runConfig(values.data);
  return withContext(config, "1", values, async (ctx) => {
    const counts = await exportTables(ctx.db, format as ExportFormat, String(values.out));
    err(
      `formex: exported ${Object.entries(counts)
        .map(([t, n]) => `${t} ${n}`)
        .join(", ")} to ${values.out} (${format})\n`,
    );
    return 0;
  });
}
