import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { FileError } from "../errors.js";
import { errorCode, isRetryable } from "../errors.js";
import { assembleDocument, type PagesIn, storeOutcome } from "../run/document.js";
import { type ChunkResult, readChunk } from "../run/stages.js";
import type { Extraction } from "../schema.js";
import type { Context } from "../service/context.js";
import { localFile } from "../store/files.js";
import { isOutage } from "../store/outage.js";
import { getDocument, markPagesRead, setDocumentStatus } from "../store/repo.js";
import {
  type DocumentJobData,
  PAGES_JOB,
  type PagesJobData,
  retryDelayMs,
  TRANSIENT_PAGE_ATTEMPTS,
} from "./jobs.js";
import { FormexQueue } from "./queue.js";
import { assertNoEviction, workerConnection } from "./redis.js";
import { RepairLoop, repairQueue } from "./repair.js";

/**
 * The queue's consumer: page-chunk jobs read pages on this machine's page pool, the document job
 * assembles and stores the forms. A page that cannot be read is recorded and skipped, as
 * `formex extract` does; only outages (PostgreSQL, Redis, a crashed page worker) are retried.
 */

export interface QueueTimings {
  /** How long a job's lock lasts without renewal: a killed worker's jobs return after this. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** How often the repair gives unfinished documents without a job one (besides start and reconnects). */
  repairIntervalMs?: number;
}

export const DEFAULT_TIMINGS: QueueTimings = { lockDurationMs: 30_000, stalledIntervalMs: 30_000 };

async function processPagesJob(
  ctx: Context,
  job: Job<PagesJobData>,
): Promise<ChunkResult & { from: number }> {
  const { sha256, name, from, to } = job.data;
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const result = await readChunk(ctx.pool, path, name, from, to);
  // A crashed page worker may be a fluke: read the chunk again, then keep its pages as failed.
  const transient = result.errors.filter((e) => isRetryable(e.code));
  if (transient.length > 0 && job.attemptsMade + 1 < TRANSIENT_PAGE_ATTEMPTS)
    throw new Error(transient.map((e) => `${e.code}: ${e.message}`).join("; "));
  await markPagesRead(ctx.db, sha256, to - from + 1);
  return { ...result, from };
}

async function processDocumentJob(ctx: Context, job: Job<DocumentJobData>): Promise<{ forms: number }> {
  const { sha256, name, kind } = job.data;
  const doc = await getDocument(ctx.db, sha256);
  if (!doc) throw new UnrecoverableError(`document ${sha256} is not registered`);
  const forms: Extraction[] = [];
  // What inspecting the file found at registration (a truncated PDF); the chunks add their own.
  const known = doc.errors.filter((e) => e.code === "DAMAGED_PDF" && e.page === null);
  const input: PagesIn =
    kind === "paged"
      ? {
          kind: "paged",
          chunks: Object.values(await job.getChildrenValues<ChunkResult & { from: number }>()).sort(
            (a, b) => a.from - b.from,
          ),
        }
      : { kind: "dump", path: await localFile(ctx.db, ctx.config.dataDir, sha256) };
  const outcome = await assembleDocument({ file: name, sha256 }, ctx.pool.ocrSettings, known, input, {
    onForm: (f) => {
      forms.push(f);
    },
  });
  await storeOutcome(ctx.db, doc, forms, { ...outcome, pages: doc.pages ?? 0 }, ctx.options.review);
  // Final: its page jobs already retried what the registry says a retry can fix.
  if (outcome.status === "failed")
    throw new UnrecoverableError(
      outcome.errors.map((e) => `${e.code}: ${e.message}`).join("; ") || "NOT_A_FORM",
    );
  return { forms: forms.length };
}

/** Marks a document failed after its job's last attempt. */
async function recordFailure(ctx: Context, sha256: string, error: FileError): Promise<void> {
  const doc = await getDocument(ctx.db, sha256);
  if (!doc || doc.status === "done" || doc.status === "failed") return;
  await setDocumentStatus(ctx.db, sha256, { status: "failed", errors: [...doc.errors, error] });
}

export interface RunningWorker {
  /** Finishes the current jobs (or, with `force`, abandons them to another worker), then stops. */
  close(force?: boolean): Promise<void>;
}

/** A BullMQ worker for both job kinds, and the repair that re-queues documents left without a job. */
export async function startWorker(
  ctx: Context,
  redisUrl: string,
  timings: QueueTimings = DEFAULT_TIMINGS,
): Promise<RunningWorker> {
  const connection = workerConnection(redisUrl, (err) =>
    ctx.log.warn({ err: err.message }, "redis connection error"),
  );
  await assertNoEviction(connection).catch((err: unknown) => {
    connection.disconnect();
    throw err;
  });
  const queue = await FormexQueue.open(redisUrl, ctx.config.queue, ctx.log);
  const worker = new Worker(
    ctx.config.queue,
    async (job: Job) => {
      const log = ctx.log.child({ job: job.id, name: job.name });
      log.info("job started");
      const out =
        job.name === PAGES_JOB
          ? await processPagesJob(ctx, job as Job<PagesJobData>)
          : await processDocumentJob(ctx, job as Job<DocumentJobData>);
      log.info("job done");
      return out;
    },
    {
      connection,
      // Page jobs wait for a page thread; two per thread keep every thread busy between jobs.
      concurrency: ctx.pool.size * 2,
      lockDuration: timings.lockDurationMs,
      stalledInterval: timings.stalledIntervalMs,
      maxStalledCount: 2,
      settings: { backoffStrategy: retryDelayMs },
    },
  );
  worker.on("failed", (job, err) => {
    ctx.log.warn({ job: job?.id, name: job?.name, err: err.message }, "job failed");
    // After an outage outlasting every retry the document stays unfinished: the repair queues it again.
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1) || isOutage(err)) return;
    const { sha256 } = job.data as DocumentJobData | PagesJobData;
    const code = errorCode(err);
    void recordFailure(ctx, sha256, { code, message: err.message, page: null }).catch(() => undefined);
  });
  worker.on("error", (err) => ctx.log.error({ err: err.message }, "worker error"));

  const repairs = new RepairLoop(
    () => repairQueue(ctx.db, queue, ctx.log),
    ctx.log,
    timings.repairIntervalMs ?? 5 * 60_000,
  );
  queue.onReconnect(() => repairs.trigger());
  repairs.trigger();
  return {
    close: async (force = false) => {
      // Forcing while a graceful close waits: abandon the jobs; the graceful close then ends.
      if (force) return worker.close(true);
      await repairs.stop();
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
