import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { looksLikeText } from "../dump/parse.js";
import { type ErrorCode, type FileError, InputError } from "../errors.js";
import { sniffImage } from "../ocr/image-file.js";
import { looksLikePdf } from "../pdf/open.js";
import { imageProblem } from "./image-check.js";
import type { PagePool } from "./pool.js";
import type { PageOcr, PageResult } from "./protocol.js";

export type { FileError, PageResult };
export { InputError };

/**
 * The stages of the one document pipeline (src/run/document.ts runs them for every runner):
 * inspect a file, read its pages in chunks, assemble forms in page order.
 */

export type Inspected =
  /** Read page by page in the page workers: a PDF, or an image file (a scan; OCR only). */
  | { kind: "paged"; sha256: string; size: number; pages: number; errors: FileError[] }
  | { kind: "dump"; sha256: string; size: number; pages: 0; errors: FileError[] };

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

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** What a file is, its hash, and its page count; throws InputError for input that cannot be read. */
export async function inspectFile(
  path: string,
  name: string,
  pool: PagePool,
  limits: { maxBytes: number; maxPages: number },
  knownSha256?: string,
): Promise<Inspected> {
  const fail = (code: ErrorCode, message: string, page: number | null = null): never => {
    throw new InputError({ code, message, page });
  };
  const info = await stat(path).catch((err: Error) => err);
  if (info instanceof Error) return fail("FILE_READ", `cannot read: ${info.message}`);
  if (!info.isFile()) return fail("FILE_READ", "not a regular file");
  if (info.size > limits.maxBytes)
    return fail("INPUT_TOO_LARGE", `${info.size} bytes is over the limit of ${limits.maxBytes}`);
  const head = await readAt(path, 0, 64 * 1024);
  const sha256 = knownSha256 ?? (await sha256File(path));
  const isPdfName = /\.pdf$/i.test(name);
  const imageName = /\.(png|jpe?g|tiff?)$/i.exec(name)?.[1]?.toUpperCase();
  if (info.size === 0) {
    const empty = "empty file (0 bytes)";
    if (imageName) return fail("DAMAGED_IMAGE", `${empty}: not a readable ${imageName} image`);
    return isPdfName
      ? fail("NOT_A_PDF", `${empty}: not a PDF`)
      : fail("UNSUPPORTED_INPUT", `${empty}: nothing to read`);
  }
  if (looksLikePdf(head)) {
    const count = await pool.run({ kind: "count", path, file: name });
    if (count.kind === "error") return fail(count.code, count.message, count.page);
    if (count.kind !== "count") return fail("INTERNAL", "unexpected worker reply");
    if (count.pages > limits.maxPages)
      return fail("INPUT_TOO_LARGE", `${count.pages} pages is over the limit of ${limits.maxPages}`);
    const errors: FileError[] = [];
    // pdf.js rebuilds a cut-off file's xref and reads what is left: say so, and read on.
    const tail = Buffer.from(await readAt(path, info.size - 1024, 1024)).toString("latin1");
    if (!tail.includes("%%EOF"))
      errors.push({
        code: "DAMAGED_PDF",
        message: "truncated PDF (no %%EOF marker); pages read so far are kept",
        page: null,
      });
    return { kind: "paged", sha256, size: info.size, pages: count.pages, errors };
  }
  const image = sniffImage(head);
  if (image) {
    const problem = imageProblem(await readFile(path), image);
    if (problem) return fail(problem.code, problem.message);
    const count = await pool.run({ kind: "count", path, file: name });
    if (count.kind === "error") return fail(count.code, count.message, count.page);
    if (count.kind !== "count" || count.pages === 0)
      return fail("UNSUPPORTED_INPUT", "an image file with no image in it");
    if (count.pages > limits.maxPages)
      return fail("INPUT_TOO_LARGE", `${count.pages} pages is over the limit of ${limits.maxPages}`);
    return { kind: "paged", sha256, size: info.size, pages: count.pages, errors: [] };
  }
  if (looksLikeText(head) && !isPdfName && !imageName)
    return { kind: "dump", sha256, size: info.size, pages: 0, errors: [] };
  if (isPdfName) return fail("NOT_A_PDF", "not a PDF (no %PDF- header)");
  if (imageName)
    return fail("UNSUPPORTED_INPUT", `not a ${imageName} image: its bytes are no image format formex reads`);
  return fail("UNSUPPORTED_INPUT", "not a PDF, a scan image (PNG, JPEG, TIFF) or a text dump of this form");
}

export interface ChunkResult {
  pages: PageResult[];
  errors: FileError[];
}

function pageOcr(pool: PagePool): PageOcr {
  const { enabled, engine, model, pageTimeoutMs } = pool.ocrSettings;
  return enabled ? { engine, model, pageTimeoutMs } : null;
}

/**
 * Reads pages from..to into `out` in page order. A page that fails is recorded and skipped; the
 * pages before it (read, but lost with the worker's reply) are read again, the rest read on, so
 * what comes out does not depend on where chunks begin (the CLI reads 25 pages a task, the queue 10).
 */
async function readRange(
  pool: PagePool,
  path: string,
  name: string,
  from: number,
  to: number,
  out: ChunkResult,
): Promise<void> {
  if (from > to) return;
  const result = await pool.run({ kind: "pages", path, file: name, from, to, ocr: pageOcr(pool) });
  if (result.kind === "pages") {
    out.pages.push(...result.pages);
    out.errors.push(...result.pages.flatMap((p) => p.errors));
    return;
  }
  if (result.kind !== "error") return;
  const error = { code: result.code, message: result.message, page: result.page };
  if (result.page === null || result.page < from || result.page > to) {
    out.errors.push(error);
    return;
  }
  await readRange(pool, path, name, from, result.page - 1, out);
  out.errors.push(error);
  await readRange(pool, path, name, result.page + 1, to, out);
}

/** Reads pages from..to; a page that fails is recorded and skipped, the rest is read on. */
export async function readChunk(
  pool: PagePool,
  path: string,
  name: string,
  from: number,
  to: number,
): Promise<ChunkResult> {
  const out: ChunkResult = { pages: [], errors: [] };
  await readRange(pool, path, name, from, to, out);
  // Page order (OCR's errors come with their pages), whatever the chunk: runners agree on the list.
  out.errors.sort((a, b) => (a.page ?? Number.POSITIVE_INFINITY) - (b.page ?? Number.POSITIVE_INFINITY));
  return out;
}

export function chunkRanges(pages: number, chunkPages: number): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  for (let from = 1; from <= pages; from += chunkPages)
    chunks.push([from, Math.min(pages, from + chunkPages - 1)]);
  return chunks;
}

/**
 * Reads every chunk with a window in flight (every worker busy) and yields them in page order;
 * each is dropped once yielded, so memory stays flat in the page count.
 */
export async function* readPagesInOrder(
  pool: PagePool,
  path: string,
  name: string,
  pages: number,
  chunkPages: number,
): AsyncGenerator<ChunkResult> {
  const chunks = chunkRanges(pages, chunkPages);
  const inFlight = new Map<number, Promise<ChunkResult>>();
  const submit = (i: number) => {
    const c = chunks[i];
    if (c) inFlight.set(i, readChunk(pool, path, name, c[0], c[1]));
  };
  const window = pool.size * 2;
  for (let i = 0; i < window; i++) submit(i);
  for (let i = 0; i < chunks.length; i++) {
    const result = await inFlight.get(i)!;
    inFlight.delete(i);
    submit(i + window);
    yield result;
  }
}
