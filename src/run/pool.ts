import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { OcrSettings } from "../ocr/settings.js";
import { DEFAULT_OPTIONS } from "../options.js";
import type { WorkerReply, WorkerTask } from "./protocol.js";

/**
 * A pool of page-worker threads, one per core by default. Each task has a watchdog: a worker that
 * reports no page within `pageTimeoutMs` is terminated and replaced, and the task fails with the
 * page it was on.
 */

export type TaskResult = Exclude<WorkerReply, { kind: "progress" } | { kind: "ready" }>;
type TaskInput = WorkerTask extends infer T ? (T extends { id: number } ? Omit<T, "id"> : never) : never;

interface Job {
  task: WorkerTask;
  resolve: (r: TaskResult) => void;
  lastPage: number | null;
}

const FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(`../../workers/page-worker.${FROM_SOURCE ? "ts" : "js"}`, import.meta.url);
/** Under tsx (development, tests) the TypeScript worker starts through a loader bootstrap. */
const BOOTSTRAP_URL = new URL("../../workers/ts-bootstrap.mjs", import.meta.url);

export class PagePool {
  private readonly idle: Worker[] = [];
  /** Spawned, still loading modules: no task (and no page clock) until they say ready. */
  private readonly starting = new Set<Worker>();
  private readonly busy = new Map<Worker, { job: Job; timer: NodeJS.Timeout }>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size = Math.max(1, availableParallelism()),
    private readonly pageTimeoutMs = 20_000,
    /** The run's OCR settings: sent with every page task, and the bars its forms are flagged by. */
    readonly ocrSettings: OcrSettings = DEFAULT_OPTIONS.ocr,
    /** Old-generation heap per page worker, MiB: a page's model is a few MiB; pdf.js caches per document. */
    private readonly workerHeapMb = DEFAULT_OPTIONS.workerHeapMb,
  ) {}

  run(input: TaskInput): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new Error("pool is closed"));
    return new Promise((resolve) => {
      this.queue.push({ task: { ...input, id: this.nextId++ } as WorkerTask, resolve, lastPage: null });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.starting, ...this.busy.keys()];
    this.starting.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    // A bounded heap makes V8 collect as it goes instead of growing with the pages read.
    const resourceLimits = { maxOldGenerationSizeMb: this.workerHeapMb };
    const worker = FROM_SOURCE
      ? new Worker(BOOTSTRAP_URL, { workerData: { entry: WORKER_URL.href }, resourceLimits })
      : new Worker(WORKER_URL, { resourceLimits });
    worker.on("message", (msg: WorkerReply) => this.onMessage(worker, msg));
    worker.on("error", (err) => {
      if (this.starting.delete(worker)) this.failQueued(`page worker failed to start: ${err.message}`);
      else this.fail(worker, "INTERNAL", `page worker crashed: ${err.message}`);
    });
    worker.on("exit", (code) => {
      if (this.busy.has(worker)) this.fail(worker, "INTERNAL", `page worker exited with code ${code}`);
    });
    return worker;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, { job, timer: this.watchdog(worker) });
      worker.postMessage(job.task);
    }
    const want = Math.min(
      this.queue.length,
      this.size - this.busy.size - this.idle.length - this.starting.size,
    );
    for (let i = 0; i < want; i++) this.starting.add(this.spawn());
  }

  /** A worker that cannot even start fails what is waiting, rather than leaving it waiting forever. */
  private failQueued(message: string): void {
    if (this.busy.size + this.idle.length + this.starting.size > 0) return;
    for (const job of this.queue.splice(0))
      job.resolve({ kind: "error", id: job.task.id, code: "INTERNAL", message, page: null });
  }

  /** `budget`: the page's own, when the worker announced one (an OCR page's, enforced in the worker too). */
  private watchdog(worker: Worker, budget = this.pageTimeoutMs): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const entry = this.busy.get(worker);
      if (!entry) return;
      const page = entry.job.lastPage;
      this.fail(worker, "PAGE_TIMEOUT", `page took longer than ${budget} ms`, page);
    }, budget);
    timer.unref();
    return timer;
  }

  private onMessage(worker: Worker, msg: WorkerReply): void {
    if (msg.kind === "ready") {
      if (this.starting.delete(worker)) {
        this.idle.push(worker);
        this.pump();
      }
      return;
    }
    const entry = this.busy.get(worker);
    if (!entry || msg.id !== entry.job.task.id) return;
    if (msg.kind === "progress") {
      entry.job.lastPage = msg.page;
      clearTimeout(entry.timer);
      entry.timer = this.watchdog(worker, msg.budgetMs);
      return;
    }
    clearTimeout(entry.timer);
    this.busy.delete(worker);
    this.idle.push(worker);
    entry.job.resolve(msg);
    this.pump();
  }

  /** Ends a worker's job with an error and replaces the worker (it may be stuck). */
  private fail(
    worker: Worker,
    code: "PAGE_TIMEOUT" | "INTERNAL",
    message: string,
    page: number | null = null,
  ): void {
    const entry = this.busy.get(worker);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.busy.delete(worker);
    void worker.terminate();
    entry.job.resolve({
      kind: "error",
      id: entry.job.task.id,
      code,
      message,
      page: page ?? entry.job.lastPage,
    });
    this.pump();
  }
}
