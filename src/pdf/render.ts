import { createRequire } from "node:module";
import type { Canvas } from "@napi-rs/canvas";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import { PageTooLargeError } from "../errors.js";
import { readingView } from "./page.js";

// pdf.js polyfills Path2D/DOMMatrix from @napi-rs/canvas loaded with `require`: load it the same
// way so the canvas and those classes come from one instance (an ESM import can make a second).
const require = createRequire(import.meta.url);

type PdfPageProxy = Awaited<ReturnType<PDFDocumentProxy["getPage"]>>;

/**
 * Most pixels one render may have: 25 million (100 MB of RGBA), an A3 page at 300 dpi for OCR or a
 * 3,300-point page at the review's 1.5×. A crafted 14,400-point MediaBox would otherwise be
 * 21,600² pixels (1.9 GB) per request.
 */
export const MAX_RENDER_PIXELS = 25_000_000;

/**
 * Draws a page with pdf.js on a white @napi-rs/canvas (its prebuilt binary comes with the npm
 * package), `scale` pixels per point, turned by `rotation` degrees. A page over MAX_RENDER_PIXELS
 * is refused (PageTooLargeError) before anything is allocated.
 */
export async function renderToCanvas(page: PdfPageProxy, scale: number, rotation: number): Promise<Canvas> {
  const { createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const viewport = page.getViewport({ scale, rotation });
  const [width, height] = [Math.ceil(viewport.width), Math.ceil(viewport.height)];
  if (!(width * height <= MAX_RENDER_PIXELS))
    throw new PageTooLargeError(
      `page ${page.pageNumber} would render as ${width}×${height} pixels, over the limit of ${MAX_RENDER_PIXELS}`,
      { page: page.pageNumber },
    );
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  // pdf.js types its context as the DOM's; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  return canvas;
}

/** Renders one page to PNG for the review page. */
export async function renderPage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  scale: number,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const page = await doc.getPage(pageNumber);
  try {
    // The same turn the page model reads it with, so field boxes land on the image.
    const { rotation } = await readingView(page);
    const canvas = await renderToCanvas(page, scale, rotation);
    return { png: new Uint8Array(canvas.toBuffer("image/png")), width: canvas.width, height: canvas.height };
  } finally {
    page.cleanup();
  }
}
