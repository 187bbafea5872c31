import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import { runConfig, runOptions } from "./cli-common.js";
import { COMMAND_HELP, HELP, VERSION } from "./cli-help.js";
import { ingestCommand } from "./cli-ingest.js";
import { outputStems, writeFormFile } from "./cli-out.js";
import { Progress } from "./cli-progress.js";
import { exportCommand, resultsCommand, serveCommand, statusCommand, workerCommand } from "./cli-service.js";
import { FormexError } from "./errors.js";
import { needsReview } from "./flags.js";
import { createLogger } from "./log.js";
import type { OcrSettings } from "./ocr/settings.js";
import { expandNamedInputs, type FileSummary, runBatch } from "./run/batch.js";
import { PagePool } from "./run/pool.js";
import type { Extraction } from "./schema.js";
import { openStore } from "./store/extract-store.js";

/** `formex status | head`: the reader has gone, so stop quietly, as a Unix tool does, without a stack trace. */
let quietPipe = false;
function quietOnClosedPipe(): void {
  if (quietPipe) return;
  quietPipe = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
}

/** `formex <command> --help`, `formex help <command>`: that command's help on stdout (an unknown one: usage error). */
function commandHelp(command: string): number {
  const help = COMMAND_HELP[command];
  if (!help) {
    process.stderr.write(`formex: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  process.stdout.write(help);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [command, ...rest] = argv;
  if (
    command === undefined ||
    command === "--help" ||
    command === "-h" ||
    (command === "help" && rest.length === 0)
  ) {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === "help" && rest[0] !== undefined) return commandHelp(rest[0]);
  if (COMMAND_HELP[command] && (rest.includes("--help") || rest.includes("-h"))) return commandHelp(command);
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
  const named = await expandNamedInputs(opts.inputs);
  const files = named.map((f) => f.path);
  const stems = outputStems(named);
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
    if (opts.out) await writeFormFile(opts.out, stems, path, form);
    else {
      process.stdout.write(opts.jsonl ? `${JSON.stringify(form)}\n` : `${JSON.stringify(form, null, 2)}\n`);
    }
  };
  let summaries: FileSummary[];
  try {
    summaries = await runBatch(files, pool, {
      maxBytes: opts.maxBytes,
      maxPages: opts.maxPages,
      chunkPages: 25,
      names: new Map(named.map((f) => [f.path, f.name])),
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
