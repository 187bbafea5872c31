import { FormexError } from "../errors.js";
import { runTextStages, textRecord, textSlot } from "../layout/text-stages.js";
import type { GrayImage } from "../ocr/image.js";
import { decodeImageFile, imagePageCount } from "../ocr/image-file.js";
import { readScannedPage } from "../ocr/ocr-task.js";
import type { PDFDocumentProxy } from "../pdf/open.js";
import { needsOcr } from "../pdf/page.js";
import { pageImage } from "../pdf/page-image.js";
import type { PageOcr, PageResult } from "./protocol.js";

/**
 * A page worker's reading of a range of pages: text-layer pages into blocks, scanned pages (and
 * an image file's frames) by OCR right there, so a page's pixels never leave the thread that
 * decoded them. An OCR page announces its own, longer budget; a page OCR could not read is
 * recorded with its number and the range reads on.
 */

/** Past its OCR budget a page stops itself; this long after, the pool kills the worker. */
export const OCR_GRACE_MS = 5_000;

type Progress = (page: number, budgetMs?: number) => void;

async function ocrInto(
  result: PageResult,
  image: () => Promise<GrayImage>,
  ocr: NonNullable<PageOcr>,
  file: string,
  progress: Progress,
): Promise<void> {
  progress(result.page, ocr.pageTimeoutMs + OCR_GRACE_MS);
  try {
    const read = await readScannedPage(await image(), result.page, ocr, file);
    result.blocks = read.blocks;
    result.frame = read.frame;
    // A form page always holds its table: without one the page is named, not half read in silence.
    if (read.tableless && result.blocks.length > 0)
      result.errors.push({
        code: "OCR_FAILED",
        message:
          "no table was found on the scanned page (its rules too faint or broken to follow); only the lines outside a table were read",
        page: result.page,
      });
    if (read.partialTable)
      result.errors.push({
        code: "OCR_FAILED",
        message:
          "the scanned page's table was found over only part of its width (its rules too faint or broken to follow): the rest of the table was not read",
        page: result.page,
      });
    if (result.blocks.length === 0)
      result.errors.push({
        code: "OCR_FAILED",
        message: "no table and no text could be read from the page image",
        page: result.page,
      });
  } catch (err) {
    const code = err instanceof FormexError && err.code === "PAGE_TIMEOUT" ? "PAGE_TIMEOUT" : "OCR_FAILED";
    result.errors.push({ code, message: (err as Error).message, page: result.page });
  }
}

export async function readPdfPages(
  doc: PDFDocumentProxy,
  from: number,
  to: number,
  ocr: PageOcr,
  file: string,
  progress: Progress,
): Promise<PageResult[]> {
  const pages: PageResult[] = [];
  for (let n = from; n <= Math.min(to, doc.numPages); n++) {
    progress(n);
    // Not cleaned up yet: a scan's image is then decoded once, for the page model and its pixels alike.
    const rec = await runTextStages(await textRecord(doc, n), "view");
    const page = textSlot(rec, "view");
    const { glyphs, shapes, images } = page.graphics;
    const blank =
      glyphs.length === 0 && shapes.length === 0 && images.length === 0 && page.widgets.length === 0;
    const scanned = needsOcr(page);
    const result: PageResult = { page: n, blocks: [], blank, scanned: scanned && !ocr, errors: [] };
    if (scanned && ocr)
      await ocrInto(result, async () => (await pageImage(doc, n)).image, ocr, file, progress);
    else {
      result.blocks = textSlot(await runTextStages(rec), "blocks");
      rec.pdf.cleanup();
    }
    pages.push(result);
  }
  return pages;
}

/** An image file (PNG, JPEG, TIFF frames) is a scan: every page is read by OCR, or reported unread. */
export async function readImagePages(
  bytes: Uint8Array,
  from: number,
  to: number,
  ocr: PageOcr,
  file: string,
  progress: Progress,
): Promise<PageResult[]> {
  const pages: PageResult[] = [];
  for (let n = from; n <= Math.min(to, imagePageCount(bytes)); n++) {
    const result: PageResult = { page: n, blocks: [], blank: false, scanned: !ocr, errors: [] };
    if (ocr) await ocrInto(result, () => decodeImageFile(bytes, n), ocr, file, progress);
    else progress(n);
    pages.push(result);
  }
  return pages;
}
