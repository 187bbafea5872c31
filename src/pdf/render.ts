import { createRequire } from "node:module";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import { readingView } from "./page.js";

// pdf.js polyfills Path2D/DOMMatrix from @napi-rs/canvas loaded with `require`: load it the same
// way so the canvas and those classes come from one instance (an ESM import can make a second).
const require = createRequire(import.meta.url);

/** Renders one page to PNG with pdf.js on @napi-rs/canvas (its prebuilt binary comes with the npm package). */
export async function renderPage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  scale: number,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const { createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const page = await doc.getPage(pageNumber);
  try {
    // The same turn the page model reads it with, so field boxes land on the image.
    const { rotation } = await readingView(page);
    const viewport = page.getViewport({ scale, rotation });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    // pdf.js types its context as the DOM's; @napi-rs/canvas implements the same 2D API.
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
    return { png: new Uint8Array(canvas.toBuffer("image/png")), width: canvas.width, height: canvas.height };
  } finally {
    page.cleanup();
  }
}
