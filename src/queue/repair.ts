import type { Logger } from "pino";
import type { Submitted } from "../service/documents.js";
import type { Queryable } from "../store/db.js";
import { type DocumentRow, resetProgress, unfinishedDocuments } from "../store/repo.js";
import type { FormexQueue } from "./queue.js";

/**
 * The repair that keeps a registered document from being stranded: a document that is `queued`
 * or `processing` must have a job. Its job is missing when the enqueue after registration failed
 * (Redis down) or Redis lost its data (no persistence); it is failed without the document saying
 * so when PostgreSQL was down as it failed. Either way the document is queued afresh. Run at
 * worker start, on each reconnection to Redis, every few minutes, and on resubmission.
 */

export type QueueOutcome = "queued" | "requeued" | "present" | "final";

export async function ensureJob(db: Queryable, queue: FormexQueue, doc: DocumentRow): Promise<QueueOutcome> {
  if (doc.status !== "queued" && doc.status !== "processing") return "final";
  const state = await queue.jobState(doc.sha256);
  if (state !== "unknown" && state !== "failed") return "present";
  if (state === "failed") await queue.remove(doc.sha256);
  await resetProgress(db, doc.sha256);
  await queue.enqueue(doc);
  return "requeued";
}

/** Queues what a submission registered, or repairs the document a resubmission found. */
export async function queueSubmitted(db: Queryable, queue: FormexQueue, s: Submitted): Promise<QueueOutcome> {
  if (s.kind === null) return "final";
  if (!s.created) return ensureJob(db, queue, s.document);
  await queue.enqueue(s.document);
  return "queued";
}

/** Gives every unfinished document a job; returns how many were queued again. */
export async function repairQueue(db: Queryable, queue: FormexQueue, log: Logger): Promise<number> {
  let requeued = 0;
  for (const doc of await unfinishedDocuments(db))
    if ((await ensureJob(db, queue, doc)) === "requeued") {
      requeued++;
      log.warn({ document: doc.id, file: doc.name }, "document had no job; queued again");
    }
  return requeued;
}

/** Runs the repair when asked (one run at a time, a failed run retried), and every `intervalMs`. */
export class RepairLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repair: () => Promise<number>,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.trigger(), intervalMs);
    this.timer.unref();
  }

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.repair()
      .then(
        () => undefined,
        (err: Error) => {
          this.log.warn({ err: err.message }, "queue repair failed; trying again in 5 s");
          setTimeout(() => this.trigger(), 5000).unref();
        },
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
