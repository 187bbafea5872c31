import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type * as UtifTypes from "utif2";
import { gaussian } from "./prng.js";

/**
 * Pixels of scanned pages, shared by make-scans.ts and the corpus scans: pdf.js renders a page
 * onto @napi-rs/canvas, the page is skewed, noised, darkened or thresholded, and encoded as
 * JPEG (ImageMagick), 1-bit or CCITT G4 (the strip of a TIFF ImageMagick writes).
 */

const require = createRequire(import.meta.url);
export const { createCanvas, GlobalFonts } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
export type Canvas = import("@napi-rs/canvas").Canvas;
const PDFJS = require.resolve("pdfjs-dist/package.json").replace(/package\.json$/, "");
const UTIF = require("utif2") as typeof UtifTypes;

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Opens a PDF with pdf.js (CMaps and fonts from the package) to render its pages. */
export function openPdf(bytes: Uint8Array): Promise<pdfjs.PDFDocumentProxy> {
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: `${PDFJS}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${PDFJS}standard_fonts/`,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

/** A page rendered flat on white at `dpi` (no skew). */
export async function renderPage(page: pdfjs.PDFPageProxy, dpi: number): Promise<Canvas> {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const flat = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
  const fctx = flat.getContext("2d");
  fctx.fillStyle = "#ffffff";
  fctx.fillRect(0, 0, flat.width, flat.height);
  await page.render({ canvas: flat as never, canvasContext: fctx as never, viewport }).promise;
  return flat;
}

/** The canvas turned clockwise by `skew` degrees about its centre, corners filled with `fill`. */
export function skewed(src: Canvas, skew: number, fill = "#ffffff"): Canvas {
  const { width: w, height: h } = src;
  const out = createCanvas(w, h);
  const ctx = out.getContext("2d");
  ctx.fillStyle = fill;
  ctx.fillRect(0, 0, w, h);
  ctx.translate(w / 2, h / 2);
  ctx.rotate((skew * Math.PI) / 180);
  ctx.drawImage(src, -w / 2, -h / 2);
  // Back to identity: Skia's putImageData on this canvas would otherwise follow the turn.
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return out;
}

export function toGray(c: Canvas): Gray {
  const { width: w, height: h } = c;
  const rgba = c.getContext("2d").getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
  }
  return { width: w, height: h, data };
}

/** Renders a page at `dpi`, skewed by `skew` degrees about its centre, as 8-bit gray. */
export async function renderGray(page: pdfjs.PDFPageProxy, dpi: number, skew: number): Promise<Gray> {
  return toGray(skewed(await renderPage(page, dpi), skew));
}

export function addNoise(img: Gray, rand: () => number, sigma: number): void {
  for (let i = 0; i < img.data.length; i++) {
    img.data[i] = Math.max(0, Math.min(255, Math.round(img.data[i]! + sigma * gaussian(rand))));
  }
}

/** A photocopy: gray ground, strokes thickened by one pixel, toner specks. */
export function photocopy(img: Gray, rand: () => number): void {
  const { width: w, height: h } = img;
  const src = img.data.slice();
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const m = Math.min(src[i]!, src[i - 1]!, src[i + 1]!, src[i - w]!, src[i + w]!);
      img.data[i] = Math.round(40 + (m / 255) * 135);
    }
  }
  for (let k = 0; k < (w * h) / 2500; k++) {
    const x = Math.floor(rand() * (w - 3));
    const y = Math.floor(rand() * (h - 3));
    for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) img.data[(y + dy) * w + x + dx] = 50;
  }
}

/** Dark scanner edges: a ragged black band down the left side and one along the top. */
export function scannerEdges(img: Gray, rand: () => number): void {
  const { width: w, height: h } = img;
  const side = Math.round(w * 0.025);
  for (let y = 0; y < h; y++) {
    const edge = side + Math.round(rand() * 6);
    for (let x = 0; x < edge; x++) img.data[y * w + x] = 15 + Math.round(rand() * 20);
  }
  const top = Math.round(h * 0.012);
  for (let y = 0; y < top; y++)
    for (let x = 0; x < w; x++) img.data[y * w + x] = 15 + Math.round(rand() * 20);
}

/** Turns the image 90° counter-clockwise (so turning it clockwise shows it upright). */
export function turnCounterClockwise(img: Gray): Gray {
  const { width: w, height: h } = img;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(w - 1 - x) * h + y] = img.data[y * w + x]!;
  return { width: h, height: w, data };
}

/** Gray JPEG through ImageMagick. */
export function jpeg(img: Gray, quality = 80): Uint8Array {
  const pgm = Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`), img.data]);
  return execFileSync("convert", ["pgm:-", "-quality", String(quality), "-strip", "jpg:-"], {
    input: pgm,
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Packs to 1 bit per pixel, rows padded to a byte; 1 = white (DeviceGray). */
export function bilevel(img: Gray, threshold: number): Uint8Array {
  const stride = Math.ceil(img.width / 8);
  const out = new Uint8Array(stride * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! >= threshold) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** A thresholded page as binary PBM (P4; 1 = black), the format ImageMagick reads fastest. */
export function toPbm(img: Gray, threshold: number): Buffer {
  const stride = Math.ceil(img.width / 8);
  const bits = new Uint8Array(stride * img.height);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[y * img.width + x]! < threshold) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  return Buffer.concat([Buffer.from(`P4\n${img.width} ${img.height}\n`), bits]);
}

/**
 * CCITT Group 4 data for a thresholded page: ImageMagick encodes it into a one-strip TIFF, whose
 * strip is the bare G4 stream a PDF's CCITTFaxDecode filter takes.
 */
export function ccittG4(img: Gray, threshold: number): Uint8Array {
  const pbm = toPbm(img, threshold);
  const tif = execFileSync(
    "convert",
    ["pbm:-", "-compress", "Group4", "-define", `tiff:rows-per-strip=${img.height}`, "tif:-"],
    { input: pbm, maxBuffer: 256 * 1024 * 1024 },
  );
  const [ifd] = UTIF.decode(tif);
  const offset = Number((ifd?.t273 as number[] | undefined)?.[0]);
  const length = Number((ifd?.t279 as number[] | undefined)?.[0]);
  if (!ifd || !Number.isFinite(offset) || !Number.isFinite(length))
    throw new Error("no G4 strip in ImageMagick's TIFF");
  return new Uint8Array(tif.subarray(offset, offset + length));
}

/** A colour JPEG of a canvas (DeviceRGB) through ImageMagick. */
export function jpegRgb(c: Canvas, quality: number): Uint8Array {
  const { width: w, height: h } = c;
  const rgba = c.getContext("2d").getImageData(0, 0, w, h).data;
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  const ppm = Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), rgb]);
  return execFileSync("convert", ["ppm:-", "-quality", String(quality), "-strip", "jpg:-"], {
    input: ppm,
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** A 3×3 box blur (a photocopier's or a cheap lens's softness). */
export function boxBlur(img: Gray): void {
  const { width: w, height: h } = img;
  const src = img.data.slice();
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += src[(y + dy) * w + x + dx]!;
      img.data[y * w + x] = Math.round(s / 9);
    }
  }
}

/** A scanner's optics: a light [1 2 1]/4 blur across and down (edges a pixel soft, as scans are). */
export function softenGray(img: Gray): void {
  const { width: w, height: h, data } = img;
  const tmp = new Uint8Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      tmp[i] = (data[x > 0 ? i - 1 : i]! + 2 * data[i]! + data[x < w - 1 ? i + 1 : i]! + 2) >> 2;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      data[i] = (tmp[y > 0 ? i - w : i]! + 2 * tmp[i]! + tmp[y < h - 1 ? i + w : i]! + 2) >> 2;
    }
}
