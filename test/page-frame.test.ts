import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterEach, describe, expect, it } from "vitest";
import { applyFrame, isPageFrame } from "../src/ocr/page-frame.js";
import { uprightPage } from "../src/ocr/upright.js";
import { loadOptions } from "../src/options.js";
import { openPdf } from "../src/pdf/open.js";
import { pageImage as pdfPageImage } from "../src/pdf/page-image.js";
import { pageImage } from "../src/server/page-images.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { pageFrame } from "../src/store/page-frames.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * A scanned page's frame (turn, skew, perspective) is measured once, when OCR reads it, stored
 * with the document, and the review image is redrawn from it pixel for pixel.
 */

async function scanOf(file: string, page: number) {
  const doc = await openPdf(readFileSync(join(ROOT, file)), file);
  try {
    return (await pdfPageImage(doc, page)).image;
  } finally {
    await doc.destroy();
  }
}

describe("page frames", () => {
  it.each([
    ["fixtures/scan/s1-gray300-skew.pdf", 1, 0, false],
    ["fixtures/scan/s2-gray300-sideways.pdf", 2, 90, false],
    ["fixtures/corpus/scan/phone-photo-c041.pdf", 1, 0, true],
  ] as const)(
    "%s page %i: the stored frame redraws the upright page exactly (turn %i, perspective %s)",
    async (file, page, turn, warped) => {
      const scanned = await scanOf(file, page);
      const upright = uprightPage(scanned);
      expect(upright.frame.turn).toBe(turn);
      expect(upright.frame.perspective !== null).toBe(warped);
      // Through JSON, as it is stored.
      const frame: unknown = JSON.parse(JSON.stringify(upright.frame));
      expect(isPageFrame(frame)).toBe(true);
      if (!isPageFrame(frame)) return;
      const redrawn = applyFrame(scanned, frame);
      expect([redrawn.width, redrawn.height]).toEqual([upright.gray.width, upright.gray.height]);
      expect(Buffer.from(redrawn.data).equals(Buffer.from(upright.gray.data))).toBe(true);
    },
    120_000,
  );

  it("refuses what is not a frame", () => {
    expect(isPageFrame({ perspective: null, turn: 45, skew: 0 })).toBe(false);
    expect(isPageFrame({ perspective: [1, 2], turn: 0, skew: 0 })).toBe(false);
    expect(isPageFrame({ perspective: null, turn: 0, skew: Number.NaN })).toBe(false);
    expect(isPageFrame(null)).toBe(false);
  });

  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("are stored when a document is read and used for its review image", async () => {
    const t = testConfig("pglite");
    cleanups.push(t.cleanup);
    const ctx: Context = await openContext(t.config, { workers: 1, options: loadOptions({}, {}) });
    cleanups.push(() => ctx.close());
    // s2's sideways page alone (one page to read, not two).
    const src = await PDFDocument.load(readFileSync(join(ROOT, "fixtures/scan/s2-gray300-sideways.pdf")));
    const one = await PDFDocument.create();
    one.addPage((await one.copyPages(src, [1]))[0]!);
    const file = join(t.config.dataDir, "sideways.pdf");
    writeFileSync(file, await one.save());
    const s = await submitFile(ctx, file);
    await processDocument(ctx, s.document.sha256);
    expect((await pageFrame(ctx.db, s.document.sha256, 1))?.turn).toBe(90);
    expect(await pageFrame(ctx.db, s.document.sha256, 2)).toBeNull();
    // The sideways scan is drawn upright: taller than wide, as OCR read it.
    const png = await pageImage(ctx, s.document.sha256, s.document.name, 1);
    const height = png.readUInt32BE(20);
    const width = png.readUInt32BE(16);
    expect(height).toBeGreaterThan(width);
    // Drawn by the stored frame, not measured again: a frame without the turn draws it sideways.
    await ctx.db.query("UPDATE page_frames SET frame = jsonb_set(frame, '{turn}', '0') WHERE page = 1");
    rmSync(join(t.config.dataDir, "cache", "pages"), { recursive: true, force: true });
    const sideways = await pageImage(ctx, s.document.sha256, s.document.name, 1);
    expect(sideways.readUInt32BE(16)).toBeGreaterThan(sideways.readUInt32BE(20));
  }, 240_000);
});
