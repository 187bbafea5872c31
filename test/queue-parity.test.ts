import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormexQueue } from "../src/queue/queue.js";
import { queueSubmitted } from "../src/queue/repair.js";
import { startWorker } from "../src/queue/worker.js";
import { runBatch } from "../src/run/batch.js";
import { PagePool } from "../src/run/pool.js";
import type { FileError } from "../src/run/stages.js";
import type { Extraction } from "../src/schema.js";
import { openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { getDocument, listForms } from "../src/store/repo.js";
import { pageTreeCycle, writeBadInputs } from "./helpers/bad-inputs.js";
import { BUNDLE, waitUntil } from "./helpers/queue.js";
import { TEST_REDIS_URL, testConfig } from "./helpers/services.js";

/**
 * Issue 11, defect 3: queue mode and the in-process reader (`formex extract`) give the same forms
 * and errors for every file of the bad-input set, including a bundle with one unreadable page.
 */

let dir: string;

/** A PDF page that is one white image: a scan of nothing, which OCR cannot read. */
async function blankImagePage(doc: PDFDocument): Promise<void> {
  const canvas = createCanvas(1240, 1754);
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  const image = await doc.embedPng(canvas.toBuffer("image/png"));
  doc.addPage([595.28, 841.89]).drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
}

/** Two copies of the 12-page bundle with a blank scanned page between them: 25 pages, 8 forms. */
async function bundleWithBadPage(): Promise<Uint8Array> {
  const src = await PDFDocument.load(readFileSync(BUNDLE));
  const out = await PDFDocument.create();
  for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  await blankImagePage(out);
  for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  return out.save();
}

let files: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "formex-parity-"));
  const names = await writeBadInputs(dir);
  writeFileSync(join(dir, "bundle-bad-page.pdf"), await bundleWithBadPage());
  writeFileSync(join(dir, "cycle.pdf"), pageTreeCycle());
  writeFileSync(join(dir, "empty.png"), Buffer.alloc(0));
  files = [...names, "bundle-bad-page.pdf", "cycle.pdf", "empty.png"].map((f) => join(dir, f));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  forms: Array<Pick<Extraction, "form" | "flags"> & { pages: number[] }>;
  errors: FileError[];
}
const outcome = (forms: Extraction[], errors: FileError[]): Outcome => ({
  forms: forms.map((f) => ({ form: f.form, flags: f.flags, pages: f.source.pages })),
  errors,
});

describe("queue mode and in-process mode agree on bad input", () => {
  it("same forms and errors for every file; a bundle with one bad page keeps its other forms", async () => {
    // In process, as `formex extract` reads them (25 pages a task).
    const pool = new PagePool(1);
    const direct = new Map<string, Extraction[]>();
    const summaries = await runBatch(files, pool, {
      maxBytes: 200 * 1024 * 1024,
      maxPages: 2000,
      chunkPages: 25,
      onForm: (form, path) => {
        direct.set(basename(path), [...(direct.get(basename(path)) ?? []), form]);
      },
    }).finally(() => pool.close());
    const inProcess = new Map(
      summaries.map((s) => [basename(s.path), outcome(direct.get(basename(s.path)) ?? [], s.errors)]),
    );

    // Through the queue: 10-page jobs on a worker, stored in PostgreSQL.
    const t = testConfig("postgres", true);
    const ctx = await openContext(t.config, { workers: 1 });
    const queue = await FormexQueue.open(TEST_REDIS_URL, t.config.queue);
    const worker = await startWorker(ctx, TEST_REDIS_URL, {
      lockDurationMs: 10_000,
      stalledIntervalMs: 10_000,
    });
    try {
      const shas = new Map<string, string>();
      for (const file of files) {
        const s = await submitFile(ctx, file);
        await queueSubmitted(ctx.db, queue, s);
        shas.set(basename(file), s.document.sha256);
      }
      await waitUntil(
        "every document to finish",
        async () => {
          const docs = await Promise.all([...shas.values()].map((sha) => getDocument(ctx.db, sha)));
          return docs.every((d) => d?.status === "done" || d?.status === "failed");
        },
        180_000,
      );
      for (const [name, sha] of shas) {
        const doc = (await getDocument(ctx.db, sha))!;
        const queued = outcome(await listForms(ctx.db, { documentId: doc.id }), doc.errors);
        expect({ name, ...queued }).toEqual({ name, ...inProcess.get(name) });
        // Each scanned page's frame is stored the same way, for its review image.
        const { rows } = await ctx.db.query<{ page: number; frame: unknown }>(
          "SELECT page, frame FROM page_frames WHERE document_id = $1 ORDER BY page",
          [doc.id],
        );
        const frames = summaries.find((s) => basename(s.path) === name)!.frames;
        expect({ name, frames: rows.map((r) => ({ page: r.page, frame: r.frame })) }).toEqual({
          name,
          frames,
        });
        expect({ name, status: doc.status }).toEqual({
          name,
          status: queued.forms.length > 0 ? "done" : "failed",
        });
      }
      const bad = inProcess.get("bundle-bad-page.pdf")!;
      expect(bad.forms).toHaveLength(8);
      expect(bad.errors.map((e) => [e.code, e.page])).toEqual([["OCR_FAILED", 13]]);
      const badDoc = (await getDocument(ctx.db, shas.get("bundle-bad-page.pdf")!))!;
      expect([badDoc.pages_done, badDoc.pages]).toEqual([25, 25]);
      expect(
        summaries.find((s) => basename(s.path) === "bundle-bad-page.pdf")!.frames.map((f) => f.page),
      ).toEqual([13]);
      expect(inProcess.get("cycle.pdf")!.errors.map((e) => e.code)).toEqual(["DAMAGED_PDF"]);
      expect(inProcess.get("empty.png")!.errors.map((e) => e.code)).toEqual(["DAMAGED_IMAGE"]);
    } finally {
      await worker.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
      await ctx.close();
      await t.cleanup();
    }
  }, 300_000);
});
