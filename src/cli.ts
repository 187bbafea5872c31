import { mkdir, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { parseArgs } from "node:util";
import { runConfig, runOptions } from "./cli-common.js";
import { ingestCommand } from "./cli-ingest.js";
import { Progress } from "./cli-progress.js";
import { exportCommand, resultsCommand, serveCommand, statusCommand, workerCommand } from "./cli-service.js";
import { FormexError } from "./errors.js";
import { needsReview } from "./flags.js";
import { createLogger } from "./log.js";
import type { OcrSettings } from "./ocr/settings.js";
import { expandInputs, type FileSummary, runBatch } from "./run/batch.js";
import { PagePool } from "./run/pool.js";
import type { Extraction } from "./schema.js";
import { openStore } from "./store/extract-store.js";

const VERSION = "0.1.0";

const HELP = `formex ${VERSION} — 2018 上海市财政支出项目绩效目标申报表 PDFs to validated data

Usage:
  formex extract <files|dirs...> [options]   read PDFs (text layer or OCR), scans (PNG, JPEG, TIFF)
                                             and text dumps, print forms
  formex results [--jsonl] [--flagged]       print stored forms (output contract)
  formex ingest <files|dirs...> [--detach]   store and queue files; waits with a progress bar
  formex worker [--workers N]                process queued jobs (needs REDIS_URL, DATABASE_URL)
  formex status [--json]                     documents and jobs: queued, active, done, failed
  formex serve [--port 8080] [--host H]      review page at / and the upload API
  formex export --format csv|jsonl|parquet --out DIR   tidy tables for analytics
  formex --help | --version

Storage: PGlite in --data DIR (default ./formex-data, or FORMEX_DATA), or PostgreSQL when
DATABASE_URL is set. Queue: BullMQ on REDIS_URL, queue FORMEX_QUEUE (default formex); without
REDIS_URL, ingest and serve read documents in-process. serve binds 127.0.0.1 unless --host is
given, which needs FORMEX_TOKEN.

extract options:
  --jsonl               one form per line (JSON Lines) instead of indented JSON
  --out DIR             write one file per form to DIR (<file>.form-<n>.json) instead of stdout
  --workers N           page worker threads (default: one per core)
  --page-timeout MS     time budget per page; a page over it fails with PAGE_TIMEOUT (default 20000)
  --max-pages N         refuse PDFs with more pages (default 2000)
  --max-mb N            refuse files larger than N MiB (default 200)
  --no-ocr              do not OCR pages without a usable text layer (reported as NEEDS_OCR)
  --ocr-page-timeout MS time budget for one scanned page's OCR (default 120000)
  --ocr-engine E        paddle (default: PaddleOCR reads, tesseract reads short values again)
                        or tesseract (tesseract.js alone; see README "OCR engines")
  --ocr-model M         tesseract's chi_sim model: 4.0.0_best_int (default, faster) or 4.0.0
  --min-confidence X    OCR values read twice (money, dates, targets, names, boxes) under this
                        confidence (0..1) get LOW_CONFIDENCE (default 0.8)
  --min-text-confidence X  long free texts (read once) under this get LOW_CONFIDENCE (default 1:
                        every OCR long text is flagged; see BENCHMARKS.md "calibration")
  --no-progress         no progress line on stderr
  --data DIR            where results are stored (see Storage below)
  --no-store            print only; do not store results in the database
  --verbose             info-level JSON logs on stderr (FORMEX_LOG_LEVEL sets any level)
  --review-codes P      which flag codes send a form to review (every command takes it; also
                        FORMEX_REVIEW_CODES): comma-separated default, error, warning, info,
                        CODE or -CODE, in order; default = every error plus LOW_CONFIDENCE,
                        CHECKBOX_MULTIPLE, EXECUTED_EXCEEDS_PRIOR, DATE_OUTSIDE_YEAR, UNKNOWN_LABEL

The OCR settings are also read from FORMEX_OCR=off, FORMEX_OCR_PAGE_TIMEOUT_MS, FORMEX_OCR_ENGINE,
FORMEX_OCR_MODEL, FORMEX_MIN_CONFIDENCE and FORMEX_MIN_TEXT_CONFIDENCE, which is how ingest, worker and serve take them.

Output follows schemaVersion 1 (see docs/codes.md for flag and error codes).
Exit status: 0 every file was read; 1 some file failed (each named on stderr); 2 usage error.
`;

/** `formex status | head`: the reader has gone, so stop quietly, as a Unix tool does, without a stack trace. */
function quietOnClosedPipe(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const service: Record<string, (args: string[]) => Promise<number>> = {
    results: resultsCommand,
    ingest: ingestCommand,
    worker: workerCommand,
    status: statusCommand,
    serve: serveCommand,
    export: exportCommand,
  };
  const run = service[command];
  if (run) {
    try {
      return await run(rest);
    } catch (err) {
      const code = err instanceof FormexError ? `${err.code} ` : "";
      process.stderr.write(`formex: ${code}${(err as Error).message}\n`);
      return 1;
    }
  }
  if (command !== "extract") {
    process.stderr.write(`formex: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseExtractArgs>;
  try {
    parsed = parseExtractArgs(rest);
  } catch (err) {
    process.stderr.write(`formex: ${(err as Error).message}\n(see formex --help)\n`);
    return 2;
  }
  return extract(parsed);
}

function parseExtractArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      jsonl: { type: "boolean", default: false },
      out: { type: "string" },
      workers: { type: "string" },
      "page-timeout": { type: "string", default: "20000" },
      "max-pages": { type: "string", default: "2000" },
      "max-mb": { type: "string", default: "200" },
      "no-progress": { type: "boolean", default: false },
      "no-store": { type: "boolean", default: false },
      "no-ocr": { type: "boolean", default: false },
      "ocr-page-timeout": { type: "string" },
      "ocr-model": { type: "string" },
      "ocr-engine": { type: "string" },
      "min-confidence": { type: "string" },
      "min-text-confidence": { type: "string" },
      data: { type: "string" },
      verbose: { type: "boolean", default: false },
      "review-codes": { type: "string" },
    },
  });
  if (positionals.length === 0) throw new Error("extract needs at least one file or folder");
  // Flags win over the environment's FORMEX_OCR* (src/options.ts), so they are only what was given.
  const ocr: Partial<OcrSettings> = {};
  if (values["no-ocr"]) ocr.enabled = false;
  const model = values["ocr-model"];
  if (model !== undefined) {
    if (model !== "4.0.0_best_int" && model !== "4.0.0")
      throw new Error("--ocr-model must be 4.0.0_best_int or 4.0.0");
    ocr.model = model;
  }
  const engine = values["ocr-engine"];
  if (engine !== undefined) {
    if (engine !== "paddle" && engine !== "tesseract")
      throw new Error("--ocr-engine must be paddle or tesseract");
    ocr.engine = engine;
  }
  for (const [flag, key] of [
    ["min-confidence", "minConfidence"],
    ["min-text-confidence", "minTextConfidence"],
  ] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    const c = Number(value);
    if (!(c >= 0 && c <= 1)) throw new Error(`--${flag} must be a number from 0 to 1`);
    ocr[key] = c;
  }
  const num = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  return {
    inputs: positionals,
    jsonl: values.jsonl ?? false,
    out: values.out ?? null,
    workers: values.workers === undefined ? null : num("workers", values.workers, 1),
    pageTimeoutMs: num("page-timeout", values["page-timeout"], 100),
    maxPages: num("max-pages", values["max-pages"], 1),
    maxBytes: num("max-mb", values["max-mb"], 1) * 1024 * 1024,
    progress: !(values["no-progress"] ?? false),
    store: !(values["no-store"] ?? false),
    data: values.data,
    verbose: values.verbose ?? false,
    review: values["review-codes"],
    ocr: {
      ...ocr,
      ...(values["ocr-page-timeout"] === undefined
        ? {}
        : { pageTimeoutMs: num("ocr-page-timeout", values["ocr-page-timeout"], 1000) }),
    },
  };
}

async function extract(opts: ReturnType<typeof parseExtractArgs>): Promise<number> {
  let options: ReturnType<typeof runOptions>;
  try {
    options = runOptions(opts.verbose, opts.ocr, opts.review);
  } catch (e) {
    process.stderr.write(`formex: ${(e as Error).message}\n(see formex --help)\n`);
    return 2;
  }
  const log = createLogger(options.logLevel);
  const files = await expandInputs(opts.inputs);
  if (files.length === 0) {
    process.stderr.write("formex: no .pdf, .png, .jpg, .tif or .txt files found in the given folders\n");
    return 1;
  }
  if (opts.out) await mkdir(opts.out, { recursive: true });
  const pool = new PagePool(opts.workers ?? undefined, opts.pageTimeoutMs, options.ocr, options.workerHeapMb);
  const store = opts.store ? await openStore(runConfig(opts.data), log, options.review) : null;
  const perFile = new Map<string, Extraction[]>();
  const progress = new Progress(files.length, opts.progress);
  const started = Date.now();
  let flagged = 0;

  const onForm = async (form: Extraction, path: string) => {
    if (needsReview(form.flags, options.review)) flagged++;
    if (store) perFile.set(path, [...(perFile.get(path) ?? []), form]);
    if (opts.out) {
      const stem = basename(path, extname(path));
      await writeFile(
        join(opts.out, `${stem}.form-${form.source.formIndex}.json`),
        `${JSON.stringify(form, null, 2)}\n`,
      );
    } else {
      process.stdout.write(opts.jsonl ? `${JSON.stringify(form)}\n` : `${JSON.stringify(form, null, 2)}\n`);
    }
  };
  let summaries: FileSummary[];
  try {
    summaries = await runBatch(files, pool, {
      maxBytes: opts.maxBytes,
      maxPages: opts.maxPages,
      chunkPages: 25,
      onForm,
      onPage: (path, page, pages) => progress.page(path, page, pages),
      onFile: async (s) => {
        if (store) await store.save(s, perFile.get(s.path) ?? []);
        perFile.delete(s.path);
        progress.file(s);
        for (const e of s.errors)
          progress.say(`formex: ${e.code} ${s.path}${e.page ? ` p.${e.page}` : ""}: ${e.message}`);
      },
      log,
    });
  } finally {
    await pool.close();
    await store?.close();
    progress.end();
  }
  const failed = summaries.filter((s) => s.errors.length > 0);
  const forms = summaries.reduce((n, s) => n + s.forms, 0);
  const pages = summaries.reduce((n, s) => n + s.pages, 0);
  const secs = (Date.now() - started) / 1000;
  process.stderr.write(
    `formex: ${files.length} files, ${pages} pages, ${forms} forms (${flagged} flagged for review), ${failed.length} failed, ${secs.toFixed(1)} s\n`,
  );
  for (const s of failed) {
    for (const e of s.errors)
      process.stderr.write(
        `formex: FAILED ${s.path}${e.page ? ` p.${e.page}` : ""} [${e.code}] ${e.message}\n`,
      );
  }
  return failed.length > 0 ? 1 : 0;
}
