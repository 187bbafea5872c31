// Before pdf.js: holds the engine's builtins that pdf.js's bundled core-js replaces.
import "./native-builtins.js";
import { createRequire } from "node:module";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import * as pdfjsWorker from "pdfjs-dist/legacy/build/pdf.worker.mjs";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import {
  DamagedPdfError,
  EmptyDocumentError,
  EncryptedPdfError,
  FormexError,
  NotAPdfError,
} from "../errors.js";
import { restoreNativeBuiltins } from "./native-builtins.js";

export type { PDFDocumentProxy };

// pdf.js runs its parser in this thread (Node has no web workers) and would import it lazily on
// the first document, charging a multi-megabyte import to that document's first page budget.
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker;
// pdf.js has loaded: put back the engine's push and JSON (see native-builtins.ts).
restoreNativeBuiltins();

export { pdfjs };

const require = createRequire(import.meta.url);
const pdfjsRoot = require.resolve("pdfjs-dist/package.json").replace(/package\.json$/, "");
/** CMaps and standard fonts come from the installed package: no network, CJK CID fonts decode. */
const CMAP_URL = `${pdfjsRoot}cmaps/`;
const FONT_URL = `${pdfjsRoot}standard_fonts/`;

/** `%PDF-` must appear in the first 1 KiB (the spec allows leading junk). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

/**
 * pdf.js shows a page tree with `/Count 0` as one blank page; a file whose page tree is visibly
 * empty (no `/Type /Page` object, `/Count 0`) has no pages.
 */
function hasNoPages(bytes: Uint8Array): boolean {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return /\/Count\s+0\b/.test(raw) && !/\/Type\s*\/Page(?![a-zA-Z])/.test(raw);
}

/** Opens a PDF with the settings formex relies on; maps pdf.js failures to formex errors. */
export async function openPdf(bytes: Uint8Array, file: string): Promise<PDFDocumentProxy> {
  if (!looksLikePdf(bytes)) throw new NotAPdfError("not a PDF (no %PDF- header)", { file });
  if (hasNoPages(bytes)) throw new EmptyDocumentError("PDF has no pages", { file });
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: FONT_URL,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
    // A scan page's image is not decoded when reading text; cap what a crafted file can ask for.
    maxImageSize: 64 * 1024 * 1024,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = (err as { name?: string }).name ?? "";
    const message = (err as Error).message ?? String(err);
    if (name === "PasswordException")
      throw new EncryptedPdfError("encrypted PDF (password required)", { file });
    throw new DamagedPdfError(`damaged or truncated PDF: ${message}`, { file }, { cause: err });
  }
  if (doc.numPages === 0) {
    await doc.destroy();
    throw new EmptyDocumentError("PDF has no pages", { file });
  }
  return doc;
}

/** How pdf.js's parser reports a broken file from its (in-thread) worker side. */
const PDFJS_PARSE_ERRORS = new Set(["UnknownErrorException", "FormatError", "InvalidPDFException"]);

/**
 * A failure pdf.js raised while parsing (a page-tree cycle, objects nested past its stack) as
 * DAMAGED_PDF: the file is at fault, so it is not INTERNAL and not retried. Other errors unchanged.
 */
export function asPdfFailure(err: unknown, file: string, page: number | null = null): unknown {
  const name = (err as { name?: unknown } | null)?.name;
  if (err instanceof FormexError || typeof name !== "string" || !PDFJS_PARSE_ERRORS.has(name)) return err;
  const where = page === null ? {} : { page };
  return new DamagedPdfError(`damaged PDF: ${(err as Error).message}`, { file, ...where }, { cause: err });
}

/** Runs `fn` over a document it opens and destroys that document (and only it) afterwards. */
export async function withPdf<T>(
  bytes: Uint8Array,
  file: string,
  fn: (doc: PDFDocumentProxy) => Promise<T>,
): Promise<T> {
  const doc = await openPdf(bytes, file);
  try {
    return await fn(doc);
  } finally {
    await doc.destroy();
  }
}
