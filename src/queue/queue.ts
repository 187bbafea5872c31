import { FlowProducer, type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { isRetryable } from "../errors.js";
import { type ChunkResult, chunkRanges, type FileError, FormAssembler, readChunk } from "../run/stages.js";
import type { Extraction } from "../schema.js";
import type { Context } from "../service/context.js";
import type { Submitted } from "../service/documents.js";
import { localFile } from "../store/files.js";
import { getDocument, saveForms, setDocumentStatus } from "../store/repo.js";
import {
  DOCUMENT_JOB,
  type DocumentJobData,
  documentJobId,
  PAGES_JOB,
  PAGES_PER_JOB,
  type PagesJobData,
  pagesJobId,
} from "./jobs.js";
import { assertNoEviction, producerConnection, workerConnection } from "./redis.js";

/**
 * The queue-driven runner: a document is a BullMQ flow whose children read page chunks on any
 * worker; the parent assembles the forms when all its pages are read and stores them once.
 */

const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface QueueTimings {
  /** How long a job's lock lasts without renewal: a killed worker's jobs return after this. */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export const DEFAULT_TIMINGS: QueueTimings = { lockDurationMs: 30_000, stalledIntervalMs: 30_000 };

export class FormexQueue {
  private constructor(
    readonly queue: Queue,
    private readonly flows: FlowProducer,
    private readonly connection: Redis,
  ) {}

  static async open(redisUrl: string, name: string, log?: Logger): Promise<FormexQueue> {
    // Connection errors are expected while Redis restarts; ioredis reconnects by itself.
    const connection = producerConnection(redisUrl, (err) =>
      log?.warn({ err: err.message }, "redis connection error"),
    );
    await assertNoEviction(connection).catch((err: unknown) => {
      connection.disconnect();
      throw err;
    });
    const queue = new Queue(name, { connection });
    const flows = new FlowProducer({ connection });
    const onError = (err: Error) => log?.warn({ err: err.message }, "queue error");
    queue.on("error", onError);
    flows.on("error", onError);
    return new FormexQueue(queue, flows, connection);
  }

  /** Queues a submitted document (once: only the submission that created the row enqueues). */
  async enqueue(submitted: Submitted): Promise<void> {
    const { document, created, kind } = submitted;
    if (!created || kind === null) return;
    const queueName = this.queue.name;
    const data: DocumentJobData = {
      sha256: document.sha256,
      name: document.name,
      kind,
      pages: document.pages ?? 0,
    };
    const children =
      kind === "paged"
        ? chunkRanges(document.pages ?? 0, PAGES_PER_JOB).map(([from, to]) => ({
            name: PAGES_JOB,
            queueName,
            data: { sha256: document.sha256, name: document.name, from, to } satisfies PagesJobData,
            opts: {
              jobId: pagesJobId(document.sha256, from),
              attempts: 3,
              backoff: { type: "exponential", delay: 2000 },
              failParentOnFailure: true,
              ...JOB_RETENTION,
            },
          }))
        : [];
    await this.flows.add({
      name: DOCUMENT_JOB,
      queueName,
      data,
      opts: {
        jobId: documentJobId(document.sha256),
        attempts: 3,
        backoff: { type: "exponential", delay: 2000 },
        ...JOB_RETENTION,
      },
      children,
    });
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts(
      "waiting",
      "active",
      "completed",
      "failed",
      "delayed",
      "waiting-children",
      "prioritized",
    );
  }

  async close(): Promise<void> {
    await this.flows.close();
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** The page-chunk job: read pages on this machine's page pool; bad input fails without retry. */
async function processPagesJob(
  ctx: Context,
  job: Job<PagesJobData>,
): Promise<ChunkResult & { from: number }> {
  const { sha256, name, from, to } = job.data;
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const result = await readChunk(ctx.pool, path, name, from, to);
  // A page over its time budget is recorded and skipped (the chunk read on); other final codes end the document.
  const fatal = result.errors.find((e) => !isRetryable(e.code) && e.code !== "PAGE_TIMEOUT");
  if (fatal) {
    await recordFailure(ctx, sha256, fatal);
    throw new UnrecoverableError(`${fatal.code}: ${fatal.message}`);
  }
  if (
    result.pages.length === 0 &&
    result.errors.some((e) => e.code === "INTERNAL" || e.code === "FILE_READ")
  ) {
    throw new Error(result.errors.map((e) => e.message).join("; ")); // transient: retried with backoff
  }
  await ctx.db.query(
    "UPDATE documents SET pages_done = LEAST(COALESCE(pages, 0), pages_done + $2), status = 'processing', updated_at = now() WHERE sha256 = $1",
    [sha256, to - from + 1],
  );
  return { ...result, from };
}

/** The document job: all page chunks are read; assemble in page order and store the forms once. */
async function processDocumentJob(ctx: Context, job: Job<DocumentJobData>): Promise<{ forms: number }> {
  const { sha256, name, kind } = job.data;
  const doc = await getDocument(ctx.db, sha256);
  if (!doc) throw new UnrecoverableError(`document ${sha256} is not registered`);
  const forms: Extraction[] = [];
  const errors: FileError[] = [...doc.errors.filter((e) => e.code === "DAMAGED_PDF")];
  const assembler = new FormAssembler({ file: name, sha256 }, (f) => forms.push(f));
  if (kind === "paged") {
    const values = Object.values(await job.getChildrenValues<ChunkResult & { from: number }>()).sort(
      (a, b) => a.from - b.from,
    );
    for (const chunk of values) {
      errors.push(...chunk.errors);
      assembler.pushPages(chunk.pages);
    }
  } else {
    await assembler.pushDump(await localFile(ctx.db, ctx.config.dataDir, sha256));
  }
  errors.push(...assembler.finish(errors));

  await saveForms(ctx.db, doc.id, forms);
  await setDocumentStatus(ctx.db, sha256, {
    status: forms.length > 0 ? "done" : "failed",
    errors,
    pagesDone: doc.pages ?? 0,
  });
  if (forms.length === 0)
    throw new UnrecoverableError(errors.map((e) => `${e.code}: ${e.message}`).join("; ") || "NOT_A_FORM");
  return { forms: forms.length };
}

async function recordFailure(ctx: Context, sha256: string, error: FileError): Promise<void> {
  const doc = await getDocument(ctx.db, sha256);
  const errors = [
    ...(doc?.errors ?? []).filter((e) => e.code !== error.code || e.page !== error.page),
    error,
  ];
  await setDocumentStatus(ctx.db, sha256, { status: "failed", errors });
}

/** A BullMQ worker for both job kinds; page jobs run on the context's page pool (threads). */
export async function startWorker(
  ctx: Context,
  redisUrl: string,
  timings: QueueTimings = DEFAULT_TIMINGS,
): Promise<Worker> {
  const connection = workerConnection(redisUrl, (err) =>
    ctx.log.warn({ err: err.message }, "redis connection error"),
  );
  await assertNoEviction(connection).catch((err: unknown) => {
    connection.disconnect();
    throw err;
  });
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
    },
  );
  worker.on("failed", (job, err) => {
    ctx.log.warn({ job: job?.id, name: job?.name, err: err.message }, "job failed");
    if (job?.name === DOCUMENT_JOB && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const data = job.data as DocumentJobData;
      void recordFailure(ctx, data.sha256, { code: "INTERNAL", message: err.message, page: null }).catch(
        () => undefined,
      );
    }
  });
  worker.on("error", (err) => ctx.log.error({ err: err.message }, "worker error"));
  return worker;
}
