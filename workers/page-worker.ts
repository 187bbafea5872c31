/**
 * Worker-thread entry: reads a range of a PDF's pages into blocks. The parent kills this thread
 * when a page overruns its time budget, so a pdf.js hang never hangs formex.
 */
import { readFile } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { errorCode, FormexError } from "../src/errors.js";
import { pageBlocks } from "../src/layout/page-blocks.js";
import { withPdf } from "../src/pdf/open.js";
import { readPdfPage } from "../src/pdf/page.js";
import type { WorkerReply, WorkerTask } from "../src/run/protocol.js";

const port = parentPort;
if (!port) throw new Error("page-worker must run in a worker thread");

// Modules are loaded: from now on the parent's page clock is fair.
port.postMessage({ kind: "ready" } satisfies WorkerReply);

port.on("message", async (task: WorkerTask) => {
  const reply = (msg: WorkerReply) => port.postMessage(msg);
  try {
    const bytes = await readFile(task.path);
    await withPdf(bytes, task.file, async (doc) => {
      if (task.kind === "count") {
        reply({ kind: "count", id: task.id, pages: doc.numPages });
        return;
      }
      const pages = [];
      for (let n = task.from; n <= Math.min(task.to, doc.numPages); n++) {
        reply({ kind: "progress", id: task.id, page: n });
        const page = await readPdfPage(doc, n);
        const { glyphs, shapes, images } = page.graphics;
        const blank =
          glyphs.length === 0 && shapes.length === 0 && images.length === 0 && page.widgets.length === 0;
        pages.push({ page: n, blocks: pageBlocks(page), blank });
      }
      reply({ kind: "pages", id: task.id, pages });
    });
  } catch (err) {
    const e = err as Error;
    reply({
      kind: "error",
      id: task.id,
      code: errorCode(err),
      message: e.message,
      page: err instanceof FormexError ? (err.page ?? null) : null,
    });
  }
});
