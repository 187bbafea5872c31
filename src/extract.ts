import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Logger } from "pino";
import { looksLikeText, parseDump } from "./dump/parse.js";
import {
  FileReadError,
  InputTooLargeError,
  NotAFormError,
  PageTimeoutError,
  UnsupportedInputError,
} from "./errors.js";
import { formFromBlocks, splitForms } from "./forms.js";
import type { Block } from "./layout/model.js";
import { pageBlocks } from "./layout/page-blocks.js";
import { DEFAULT_OPTIONS, type Thresholds } from "./options.js";
import { looksLikePdf, withPdf } from "./pdf/open.js";
import { readPdfPage } from "./pdf/page.js";
import type { Extraction } from "./schema.js";

/**
 * One input file to its forms, in this thread. Stages: open -> pages (page model, layout) -> forms
 * (fields, checks). Text layer and dumps only: no page workers, no OCR (a scanned page reads as
 * nothing here). The CLI, the services and the queue use src/run/stages.ts, which has both.
 */

export interface ExtractOptions {
  /** Wall-clock budget per page, ms: a page that takes longer fails with PAGE_TIMEOUT. */
  pageTimeoutMs?: number;
  /** Largest input accepted, bytes. */
  maxBytes?: number;
  /** Most pages read from one PDF. */
  maxPages?: number;
  log?: Logger;
  /** OCR confidence bars forms are flagged by (default: the defaults, whatever the environment says). */
  thresholds?: Thresholds;
  /** Called after each page, for progress. */
  onPage?: (page: number, pages: number) => void;
}

export const DEFAULTS = { pageTimeoutMs: 20_000, maxBytes: 200 * 1024 * 1024, maxPages: 2000 } as const;

export interface FileResult {
  file: string;
  sha256: string;
  pages: number;
  forms: Extraction[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function pdfBlocks(
  bytes: Uint8Array,
  file: string,
  opts: ExtractOptions = {},
): Promise<{ blocks: Block[]; pages: number }> {
  const pageTimeoutMs = opts.pageTimeoutMs ?? DEFAULTS.pageTimeoutMs;
  const maxPages = opts.maxPages ?? DEFAULTS.maxPages;
  return withPdf(bytes, file, async (doc) => {
    if (doc.numPages > maxPages) {
      throw new InputTooLargeError(`${doc.numPages} pages is over the limit of ${maxPages}`, { file });
    }
    const blocks: Block[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await withTimeout(
        readPdfPage(doc, n),
        pageTimeoutMs,
        () => new PageTimeoutError(`page took longer than ${pageTimeoutMs} ms`, { file, page: n }),
      );
      blocks.push(...pageBlocks(page));
      opts.onPage?.(n, doc.numPages);
    }
    return { blocks, pages: doc.numPages };
  });
}

/** Reads bytes already in memory; `file` names them in errors and in `source.file`. */
export async function extractBytes(
  bytes: Uint8Array,
  file: string,
  opts: ExtractOptions = {},
): Promise<FileResult> {
  const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
  if (bytes.byteLength > maxBytes) {
    throw new InputTooLargeError(`${bytes.byteLength} bytes is over the limit of ${maxBytes}`, { file });
  }
  const hash = sha256(bytes);
  let blocks: Block[];
  let pages: number;
  if (looksLikePdf(bytes)) {
    ({ blocks, pages } = await pdfBlocks(bytes, file, opts));
  } else if (looksLikeText(bytes.subarray(0, 64 * 1024))) {
    blocks = parseDump(new TextDecoder("utf-8").decode(bytes));
    pages = 0;
  } else {
    throw new UnsupportedInputError("not a PDF or a text dump of this form", { file });
  }
  const source = { file: basename(file), sha256: hash };
  const forms = splitForms(blocks).map((b, i) =>
    formFromBlocks(b, source, i + 1, opts.thresholds ?? DEFAULT_OPTIONS.ocr),
  );
  if (forms.length === 0) {
    throw new NotAFormError("no 上海市财政支出项目绩效目标申报表 form found", { file });
  }
  opts.log?.debug({ file, forms: forms.length, pages }, "extracted");
  return { file, sha256: hash, pages, forms };
}

export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<FileResult> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
    if (info.size > maxBytes)
      throw new InputTooLargeError(`${info.size} bytes is over the limit of ${maxBytes}`, { file: path });
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof InputTooLargeError) throw err;
    throw new FileReadError(`cannot read: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  return extractBytes(bytes, path, opts);
}
