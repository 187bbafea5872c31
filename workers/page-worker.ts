/**
 * Worker-thread entry: reads a range of a PDF's pages into blocks. The parent kills this thread
 * when a page overruns its time budget, so a pdf.js hang never hangs formex.
 */
import { open, readFile, stat } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { errorCode, FormexError } from "../src/errors.js";
import { textView } from "../src/layout/text-stages.js";
import type { GrayImage } from "../src/ocr/image.js";
import { decodeImageFile, grayToPng, imagePageCount, sniffImage } from "../src/ocr/image-file.js";
import { applyFrame, type PageFrame } from "../src/ocr/page-frame.js";
import { uprightPage } from "../src/ocr/upright.js";
import { asPdfFailure, openPdf, type PDFDocumentProxy } from "../src/pdf/open.js";
import { needsOcr } from "../src/pdf/page.js";
import { pageImage } from "../src/pdf/page-image.js";
import { renderPage } from "../src/pdf/render.js";
import type { WorkerReply, WorkerTask } from "../src/run/protocol.js";
import { readImagePages, readPdfPages } from "../src/run/read-pages.js";

const port = parentPort;
if (!port) throw new Error("page-worker must run in a worker thread");

/**
 * The document this worker last opened: a big PDF arrives as many page chunks, and re-opening it
 * for each would re-parse its xref and fonts every time (quadratic in the page count).
 */
let cached: { key: string; doc: PDFDocumentProxy; pagesRead: number } | null = null;
/** pdf.js keeps every visited page's proxy and dictionary: re-open after this many to stay flat. */
const REOPEN_AFTER_PAGES = 250;

async function documentFor(path: string, file: string): Promise<PDFDocumentProxy> {
  const info = await stat(path);
  const key = `${path}:${info.size}:${info.mtimeMs}`;
  if (cached?.key === key && cached.pagesRead < REOPEN_AFTER_PAGES) return cached.doc;
  await release();
  const doc = await openPdf(await readFile(path), file);
  cached = { key, doc, pagesRead: 0 };
  return doc;
}

async function release(): Promise<void> {
  const old = cached;
  cached = null;
  await old?.doc.destroy();
}

// Modules are loaded: from now on the parent's page clock is fair.
port.postMessage({ kind: "ready" } satisfies WorkerReply);

/** An image file (PNG, JPEG, TIFF) is a scan: its pages are read by OCR only. */
async function imageFile(task: WorkerTask, reply: (msg: WorkerReply) => void): Promise<boolean> {
  const fh = await open(task.path, "r");
  const head = Buffer.alloc(8);
  await fh.read(head, 0, 8, 0).finally(() => fh.close());
  if (!sniffImage(head)) return false;
  const bytes = await readFile(task.path);
  if (task.kind === "count") reply({ kind: "count", id: task.id, pages: imagePageCount(bytes) });
  else if (task.kind === "pages") {
    const pages = await readImagePages(bytes, task.from, task.to, task.ocr, task.file, progressOf(task.id));
    reply({ kind: "pages", id: task.id, pages });
  } else {
    reply({ kind: "progress", id: task.id, page: task.page });
    // The review draws field boxes in the frame OCR read the page in: upright and level.
    const scanned = await decodeImageFile(bytes, task.page);
    const upright = task.frame ? applyFrame(scanned, task.frame) : uprightPage(scanned).gray;
    const scale = scaleOf(task, upright);
    reply({ kind: "image", id: task.id, ...grayToPng(upright, scale), scale });
  }
  return true;
}

/** A scanned page's pixels per point: its own (dpi / 72) for a native render, else the task's. */
const scaleOf = (task: WorkerTask & { kind: "render" }, img: GrayImage) =>
  task.native ? img.dpi / 72 : task.scale;

/** A scanned page as OCR read it: by its stored frame, or measured again when none was kept. */
async function uprightImage(
  doc: PDFDocumentProxy,
  page: number,
  frame: PageFrame | null,
): Promise<GrayImage> {
  const { image } = await pageImage(doc, page);
  return frame ? applyFrame(image, frame) : uprightPage(image).gray;
}

const progressOf = (id: number) => (page: number, budgetMs?: number) =>
  port!.postMessage({ kind: "progress", id, page, ...(budgetMs ? { budgetMs } : {}) } satisfies WorkerReply);

port.on("message", async (task: WorkerTask) => {
  const reply = (msg: WorkerReply) => port.postMessage(msg);
  /** The page being read, so a parse failure names it and the pages after it are still read. */
  let current: number | null = null;
  try {
    if (await imageFile(task, reply)) return;
    const doc = await documentFor(task.path, task.file);
    if (task.kind === "count") {
      reply({ kind: "count", id: task.id, pages: doc.numPages });
      return;
    }
    if (task.kind === "render") {
      reply({ kind: "progress", id: task.id, page: task.page });
      // A page read by OCR is shown as OCR read it (upright, level): its field boxes are in that frame.
      const frame = task.frame;
      const scanned = frame !== null || needsOcr(await textView(doc, task.page));
      const upright = scanned ? await uprightImage(doc, task.page, frame) : null;
      const scale = upright ? scaleOf(task, upright) : task.scale;
      const picture = upright ? grayToPng(upright, scale) : await renderPage(doc, task.page, scale);
      reply({ kind: "image", id: task.id, ...picture, scale });
      return;
    }
    const progress = progressOf(task.id);
    const pages = await readPdfPages(doc, task.from, task.to, task.ocr, task.file, (page, budgetMs) => {
      current = page;
      progress(page, budgetMs);
    });
    if (cached) cached.pagesRead += pages.length;
    reply({ kind: "pages", id: task.id, pages });
  } catch (thrown) {
    const err = asPdfFailure(thrown, task.file, current);
    const e = err as Error;
    await release().catch(() => undefined);
    reply({
      kind: "error",
      id: task.id,
      code: errorCode(err),
      message: e.message,
      page: err instanceof FormexError ? (err.page ?? null) : null,
    });
  }
});
