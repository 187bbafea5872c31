import { basename } from "node:path";
import { common, err, requireSharedDb, runConfig, withContext } from "./cli-common.js";
import { DatabaseUnavailableError, FormexError, QueueUnavailableError } from "./errors.js";
import { FormexQueue } from "./queue/queue.js";
import { ensureJob, type QueueOutcome, queueSubmitted } from "./queue/repair.js";
import { expandInputs } from "./run/batch.js";
import type { Context } from "./service/context.js";
import { processDocument, type Submitted, submitFile } from "./service/documents.js";
import { type DocumentRow, getDocument } from "./store/repo.js";

/** `formex ingest`: store and register files, queue them (or read them here), wait for them. */

function describeSubmission(s: Submitted, outcome: QueueOutcome | "in-process"): string {
  const { document: d } = s;
  if (s.kind === null) return `failed: ${d.errors[0]?.code}`;
  if (s.created) return "queued";
  const again = outcome === "requeued" ? " and had no job in the queue: queued again" : "";
  return `already submitted (document ${d.id}, ${d.status})${again}`;
}

function describeError(e: unknown): string {
  if (e instanceof FormexError) return `${e.code} ${e.message}`;
  return (e as Error).message;
}

const unfinished = (d: DocumentRow) => d.status === "queued" || d.status === "processing";

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = common(args, {
    wait: { type: "boolean" },
    detach: { type: "boolean", default: false },
  });
  if (positionals.length === 0) {
    err("formex: ingest needs at least one file or folder\n");
    return 2;
  }
  const config = runConfig(values.data);
  const problem = requireSharedDb(config);
  if (problem) {
    err(`formex: ${problem}\n`);
    return 2;
  }
  const files = await expandInputs(positionals);
  return withContext(config, values.workers as string | undefined, values, async (ctx) => {
    const queue = config.redisUrl ? await FormexQueue.open(config.redisUrl, config.queue, ctx.log) : null;
    const submitted: Submitted[] = [];
    let failed = 0;
    try {
      for (const file of files) {
        try {
          const s = await submitFile(ctx, file, basename(file), "ingest");
          const outcome = queue ? await queueSubmitted(ctx.db, queue, s) : "in-process";
          submitted.push(s);
          err(`formex: ${basename(file)} -> document ${s.document.id} ${describeSubmission(s, outcome)}\n`);
        } catch (e) {
          failed++;
          const hint =
            e instanceof QueueUnavailableError
              ? " (run this ingest again once Redis is back, or start a worker: either queues it)"
              : "";
          err(`formex: ${file}: ${describeError(e)}${hint}\n`);
        }
      }
      if (!queue) {
        // No queue configured: the in-process runner reads them here, one after another.
        for (const s of submitted.filter((x) => x.kind !== null && (x.created || unfinished(x.document)))) {
          await processDocument(ctx, s.document.sha256);
          err(`formex: ${s.document.name} done\n`);
        }
      } else if (!values.detach && values.wait !== false) {
        const abandoned = await waitFor(
          ctx,
          queue,
          submitted.map((s) => s.document.sha256),
        );
        failed += abandoned;
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

/** How often the wait checks that every unfinished document still has a job. */
const JOB_CHECK_MS = 5000;

/**
 * Polls the documents until every one is done or failed, drawing a progress bar on stderr. A
 * document found without a job is queued again (Redis lost it); one that cannot be is given up
 * on, said so, and counted: the wait never hangs on a document nothing will read. Outages of
 * PostgreSQL or Redis are waited out. Returns how many documents were given up on.
 */
async function waitFor(ctx: Context, queue: FormexQueue, shas: string[]): Promise<number> {
  const tty = Boolean(process.stderr.isTTY);
  const say = (line: string) => err(`${tty ? "\r\u001b[2K" : ""}${line}\n`);
  const waiting = new Set(shas);
  let given = 0;
  let last = "";
  let lastCheck = Date.now();
  let outage = "";
  while (true) {
    let docs: DocumentRow[];
    try {
      docs = (await Promise.all([...waiting].map((s) => getDocument(ctx.db, s)))).filter((d) => d !== null);
      if (Date.now() - lastCheck >= JOB_CHECK_MS) {
        lastCheck = Date.now();
        for (const d of docs.filter(unfinished)) {
          // Redis unreachable here is an outage to wait out; reachable without the job, a repair.
          const state = await queue.jobState(d.sha256);
          if (state !== "unknown" && state !== "failed") continue;
          try {
            if ((await ensureJob(ctx.db, queue, d)) === "requeued")
              say(`formex: ${d.name} (document ${d.id}) had no job in the queue: queued again`);
          } catch (e) {
            if (!(e instanceof QueueUnavailableError)) throw e;
            say(
              `formex: NOT QUEUED ${d.name} (document ${d.id}) has no job and Redis cannot take one now: run this ingest again once it is back`,
            );
            waiting.delete(d.sha256);
            given++;
          }
        }
      }
      outage = "";
    } catch (e) {
      if (!(e instanceof DatabaseUnavailableError || e instanceof QueueUnavailableError)) throw e;
      const what = e instanceof DatabaseUnavailableError ? "PostgreSQL" : "Redis";
      if (outage !== what) say(`formex: ${what} is unavailable; waiting for it (${e.message})`);
      outage = what;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    docs = docs.filter((d) => waiting.has(d.sha256));
    const finished = docs.filter((d) => !unfinished(d)).length;
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
  return given;
}
