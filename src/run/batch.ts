import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { Logger } from "pino";
import { parseDump } from "../dump/parse.js";
import type { ErrorCode } from "../errors.js";
import { FormSplitter, formFromBlocks } from "../forms.js";
import type { Block } from "../layout/model.js";
import { looksLikePdf } from "../pdf/open.js";
import type { Extraction } from "../schema.js";
import type { PagePool } from "./pool.js";

/** Runs a batch of files: one bad file is an error record, never the end of the batch. */

export interface FileError {
  code: ErrorCode;
  message: string;
  /** 1-based page the error belongs to, when it belongs to one. */
  page: number | null;
}

export interface FileSummary {
  path: string;
  sha256: string | null;
  pages: number;
  forms: number;
  flagged: number;
  errors: FileError[];
}

export interface BatchOptions {
  maxBytes: number;
  maxPages: number;
  /** Pages per worker task: large PDFs are read by every worker at once, in chunks. */
  chunkPages: number;
  onForm: (form: Extraction, path: string) => void | Promise<void>;
  onFile?: (summary: FileSummary) => void;
  onPage?: (path: string, page: number, pages: number) => void;
  log?: Logger;
}

const INPUT_EXTENSIONS = new Set([".pdf", ".txt"]);

/** Files named on the command line, and the .pdf/.txt files found under named folders, sorted. */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info?.isDirectory()) {
      const entries = await readdir(input, { recursive: true, withFileTypes: true });
      const files = entries
        .filter((e) => e.isFile() && INPUT_EXTENSIONS.has(extname(e.name).toLowerCase()))
        .map((e) => join(e.parentPath, e.name))
        .sort();
      out.push(...files);
    } else out.push(input);
  }
  return out;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function readAt(path: string, position: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, Math.max(0, position));
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function isText(head: Uint8Array): boolean {
  const text = new TextDecoder("utf-8").decode(head);
  return !text.includes("\u0000") && !text.slice(0, -4).includes("\uFFFD");
}

export async function extractOne(path: string, pool: PagePool, opts: BatchOptions): Promise<FileSummary> {
  const summary: FileSummary = { path, sha256: null, pages: 0, forms: 0, flagged: 0, errors: [] };
  const fail = (code: ErrorCode, message: string, page: number | null = null) => {
    summary.errors.push({ code, message, page });
    return summary;
  };
  const info = await stat(path).catch((err: Error) => err);
  if (info instanceof Error) return fail("FILE_READ", `cannot read: ${info.message}`);
  if (!info.isFile()) return fail("FILE_READ", "not a regular file");
  if (info.size > opts.maxBytes)
    return fail("INPUT_TOO_LARGE", `${info.size} bytes is over the limit of ${opts.maxBytes}`);
  const head = await readAt(path, 0, 64 * 1024);
  summary.sha256 = await sha256File(path);
  const source = { file: basename(path), sha256: summary.sha256 };

  let formIndex = 0;
  const pending: Array<Promise<void>> = [];
  const splitter = new FormSplitter((blocks: Block[]) => {
    const form = formFromBlocks(blocks, source, ++formIndex);
    summary.forms++;
    if (form.flags.some((f) => f.severity !== "info")) summary.flagged++;
    pending.push(Promise.resolve(opts.onForm(form, path)));
  });

  if (looksLikePdf(head)) {
    const count = await pool.run({ kind: "count", path, file: path });
    if (count.kind === "error") return fail(count.code, count.message, count.page);
    if (count.kind !== "count") return fail("INTERNAL", "unexpected worker reply");
    summary.pages = count.pages;
    // pdf.js rebuilds a cut-off file's xref and reads what is left: say so, and read on.
    const tail = Buffer.from(await readAt(path, info.size - 1024, 1024)).toString("latin1");
    if (!tail.includes("%%EOF"))
      fail("DAMAGED_PDF", "truncated PDF (no %%EOF marker); pages read so far are kept");
    if (count.pages > opts.maxPages)
      return fail("INPUT_TOO_LARGE", `${count.pages} pages is over the limit of ${opts.maxPages}`);
    const chunks: Array<[number, number]> = [];
    for (let from = 1; from <= count.pages; from += opts.chunkPages)
      chunks.push([from, Math.min(count.pages, from + opts.chunkPages - 1)]);
    // Every chunk is queued at once (all workers busy); results are taken in page order.
    const results = chunks.map(([from, to]) => pool.run({ kind: "pages", path, file: path, from, to }));
    let done = 0;
    let blankPages = 0;
    for (let i = 0; i < chunks.length; i++) {
      let [from, to] = chunks[i]!;
      let result = await results[i]!;
      while (true) {
        if (result.kind === "pages") {
          for (const p of result.pages) {
            if (p.blank) blankPages++;
            splitter.push(p.blocks);
            opts.onPage?.(path, ++done, count.pages);
          }
          break;
        }
        if (result.kind !== "error") break;
        fail(result.code, result.message, result.page);
        // A page that failed is skipped; the rest of its chunk is read again.
        const failed = result.page ?? to;
        if (failed >= to) break;
        opts.log?.warn({ file: path, page: failed, code: result.code }, "page failed; reading on");
        from = failed + 1;
        result = await pool.run({ kind: "pages", path, file: path, from, to });
      }
    }
    if (blankPages === count.pages)
      return fail("EMPTY_DOCUMENT", "the PDF has no pages with anything drawn on them");
  } else if (isText(head) && !/\.pdf$/i.test(path)) {
    splitter.push(parseDump(await readFile(path, "utf8")));
  } else {
    return fail(
      /\.pdf$/i.test(path) ? "NOT_A_PDF" : "UNSUPPORTED_INPUT",
      /\.pdf$/i.test(path) ? "not a PDF (no %PDF- header)" : "not a PDF or a text dump of this form",
    );
  }
  splitter.flush();
  await Promise.all(pending);
  if (summary.forms === 0 && summary.errors.length === 0) {
    fail("NOT_A_FORM", "no 上海市财政支出项目绩效目标申报表 form found");
  }
  return summary;
}

/** Runs files with `concurrency` in flight; summaries come back in input order. */
export async function runBatch(
  paths: readonly string[],
  pool: PagePool,
  opts: BatchOptions,
  concurrency = pool.size,
): Promise<FileSummary[]> {
  const summaries: FileSummary[] = new Array(paths.length);
  let next = 0;
  const lane = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      const log = opts.log?.child({ file: path });
      try {
        summaries[i] = await extractOne(path, pool, { ...opts, ...(log ? { log } : {}) });
      } catch (err) {
        summaries[i] = {
          path,
          sha256: null,
          pages: 0,
          forms: 0,
          flagged: 0,
          errors: [{ code: "INTERNAL", message: (err as Error).message, page: null }],
        };
      }
      log?.info({ forms: summaries[i]!.forms, errors: summaries[i]!.errors.length }, "file done");
      opts.onFile?.(summaries[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return summaries;
}
