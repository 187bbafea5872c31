import { FlowProducer, type JobState, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { QueueUnavailableError } from "../errors.js";
import { chunkRanges } from "../run/stages.js";
import type { DocumentRow } from "../store/repo.js";
import {
  DOCUMENT_JOB,
  type DocumentJobData,
  documentJobId,
  JOB_RETRY,
  PAGES_JOB,
  PAGES_PER_JOB,
  type PagesJobData,
  pagesJobId,
} from "./jobs.js";
import { assertNoEviction, producerConnection } from "./redis.js";

/**
 * The producer side of the queue: a document is a BullMQ flow whose children read page chunks on
 * any worker; the parent assembles the forms when all its pages are read and stores them once.
 */

const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Any failure talking to Redis, as the code ingest and the API report (the document stays registered). */
async function viaRedis<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new QueueUnavailableError(
      `Redis is unavailable, ${what}: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
}

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
    await viaRedis("cannot open the queue", () => assertNoEviction(connection)).catch((err: unknown) => {
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

  /** Calls `fn` each time the connection to Redis is back after a drop (a restart may have lost every job). */
  onReconnect(fn: () => void): void {
    this.connection.on("ready", fn);
  }

  /** Adds a registered document's flow; the job ids make a second add of a live flow a no-op. */
  async enqueue(document: DocumentRow): Promise<void> {
    const queueName = this.queue.name;
    const pages = document.pages ?? 0;
    // Only paged input (PDFs, scan images) has pages; a text dump is read by the document job.
    const kind = pages > 0 ? "paged" : "dump";
    const data: DocumentJobData = { sha256: document.sha256, name: document.name, kind, pages };
    const children = chunkRanges(pages, PAGES_PER_JOB).map(([from, to]) => ({
      name: PAGES_JOB,
      queueName,
      data: { sha256: document.sha256, name: document.name, from, to } satisfies PagesJobData,
      opts: {
        jobId: pagesJobId(document.sha256, from),
        ...JOB_RETRY,
        failParentOnFailure: true,
        ...JOB_RETENTION,
      },
    }));
    await viaRedis(`document ${document.id} is registered but not queued`, () =>
      this.flows.add({
        name: DOCUMENT_JOB,
        queueName,
        data,
        opts: { jobId: documentJobId(document.sha256), ...JOB_RETRY, ...JOB_RETENTION },
        children,
      }),
    );
  }

  /** The document job's state; `unknown` when Redis has no such job (never queued, or lost). */
  async jobState(sha256: string): Promise<JobState | "unknown"> {
    return viaRedis("cannot read a job's state", () => this.queue.getJobState(documentJobId(sha256)));
  }

  /** Removes a document's job and its page jobs, so the document can be queued afresh. */
  async remove(sha256: string): Promise<void> {
    await viaRedis("cannot remove a job", () =>
      this.queue.remove(documentJobId(sha256), { removeChildren: true }),
    );
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
