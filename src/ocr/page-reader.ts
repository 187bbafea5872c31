import type { OcrEngine, OcrLine, OcrMode } from "./engine.js";
import { crop, type GrayImage, type InkImage, type PixelBox } from "./image.js";
import type { PaddleRecognizer } from "./paddle.js";
import { readRegion, softensLines } from "./paddle-read.js";
import { eraseRulings } from "./rulings.js";
import { boxBlur, downscale, thinStrokes, upscale } from "./transform.js";
import type { UprightPage } from "./upright.js";

/**
 * What every cell reader of one scanned page shares: the page's ink (for checkboxes), the image
 * tesseract is given, and `read`, which OCRs a region of it. Pixel boxes are page pixels of the
 * upright page, origin top-left.
 */
export interface PageReader {
  page: number;
  dpi: number;
  /** Ink of the upright page as scanned (checkboxes and emptiness are judged on it). */
  ink: InkImage;
  /** Ink at the lighter threshold rules are found at: thin gray box outlines survive in it. */
  ruleInk: InkImage;
  /** The OCR input: black and white, strokes at print weight, the table's rulings erased. */
  clean: GrayImage;
  /** The engine that reads text first: PaddleOCR when loaded, else tesseract. */
  primary: "paddle" | "tesseract";
  /** tesseract OCR of a region; `scale` > 1 shrinks it first, < 1 enlarges it; `soften` blurs and enlarges toward 300 dpi. */
  read(px: PixelBox, mode: OcrMode, whitelist?: string, scale?: number, soften?: boolean): Promise<OcrLine[]>;
  /**
   * The primary engine's reading of a region: line by line with PaddleOCR, as one block with
   * tesseract. `plain`: on a black-and-white page, read from the deskewed gray, unsoftened.
   */
  readLines(px: PixelBox, plain?: boolean): Promise<OcrLine[]>;
  /** PaddleOCR reads this page's lines softened (black and white, low resolution): `readLines(px, true)` is another view. */
  softened: boolean;
}

/** The recognizers a page is read with: tesseract always (the second reader), PaddleOCR when chosen. */
export interface OcrEngines {
  tesseract: OcrEngine;
  paddle: PaddleRecognizer | null;
}

/** The resolution tesseract reads best at. */
export const OCR_DPI = 300;

export const toPx = (v: number, dpi: number) => (v * dpi) / 72;
export const toPt = (v: number, dpi: number) => Math.round(((v * 72) / dpi) * 10) / 10;

/** Character-weighted mean word confidence, 0..1 (1 for nothing read: nothing to doubt). */
export function linesConfidence(lines: readonly OcrLine[]): number {
  let sum = 0;
  let n = 0;
  for (const l of lines) {
    for (const w of l.words) {
      const len = [...w.text.trim()].length;
      sum += w.confidence * len;
      n += len;
    }
  }
  return n === 0 ? 1 : Math.round((sum / n) * 1000) / 1000;
}

/** Pads a crop with white: tesseract reads glyphs that touch the image edge badly. */
function padded(img: GrayImage, pad: number): GrayImage {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++)
    data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  return { width: w, height: h, data, dpi: img.dpi };
}

/** Shortest band of ink taken for a line of text, points: rule remnants and specks are thinner. */
const MIN_LINE_PT = 3;

export function createPageReader(
  upright: UprightPage,
  page: number,
  engines: OcrEngines,
  signal?: AbortSignal,
): PageReader {
  const engine = engines.tesseract;
  const { gray, ink, ruleInk } = upright;
  const { pieces } = upright;
  const rulings = {
    horizontal: [...upright.rulings.horizontal, ...pieces.horizontal],
    vertical: [...upright.rulings.vertical, ...upright.streaks, ...pieces.vertical],
  };
  const dpi = gray.dpi;
  // Tesseract gets black and white thresholded once for the page (left to binarize each crop
  // itself, it turns the noise of an empty region into characters), with strokes thinned back
  // to print weight where a photocopy thickened them.
  const glyphInk = thinStrokes(ink, dpi);
  const clean: GrayImage = { ...gray, data: new Uint8Array(ink.ink.length).fill(255) };
  const cleanData = clean.data;
  const glyphs = glyphInk.ink;
  for (let i = 0; i < glyphs.length; i++) if (glyphs[i]) cleanData[i] = 0;
  eraseRulings(ruleInk, clean.data, rulings, dpi);
  // PaddleOCR reads the scan's own gray levels (a small mark's shape is in them), rulings erased;
  // a black-and-white scan has none, and reads best at print weight.
  const soft: GrayImage = upright.bilevel ? clean : { ...gray, data: gray.data.slice() };
  if (soft !== clean) eraseRulings(ruleInk, soft.data, rulings, dpi);

  const read: PageReader["read"] = async (px, mode, whitelist = "", scale = 1, soften = false) => {
    signal?.throwIfAborted();
    // Softened: small stair-stepped glyphs of a low-resolution scan, blurred and enlarged ×1.5.
    const k = soften ? 1 / 1.5 : scale;
    const pad = Math.round(dpi / 15 / k);
    const cut = crop(clean, px);
    const input = k < 1 ? upscale(soften ? boxBlur(cut) : cut, 1 / k) : downscale(cut, k);
    const lines = await engine.recognize(padded(input, pad), mode, whitelist);
    // Back to page pixels.
    const at = (v: number, origin: number) => Math.round((v - pad) * k + origin);
    const shift = (b: PixelBox): PixelBox => [
      at(b[0], px[0]),
      at(b[1], px[1]),
      at(b[2], px[0]),
      at(b[3], px[1]),
    ];
    return lines.map((l) => ({
      bbox: shift(l.bbox),
      words: l.words.map((w) => ({
        ...w,
        bbox: shift(w.bbox),
        symbols: w.symbols?.map((sym) => ({ ...sym, bbox: shift(sym.bbox) })),
      })),
    }));
  };
  let deskewed: GrayImage | null = null;
  const deskewedGray = () => {
    if (deskewed) return deskewed;
    deskewed = { ...gray, data: gray.data.slice() };
    eraseRulings(ruleInk, deskewed.data, rulings, dpi);
    return deskewed;
  };
  const paddle = engines.paddle;
  const readLines: PageReader["readLines"] = paddle
    ? // The deskewed gray is never softened: only `clean` itself is (softensLines).
      (px, plain) =>
        readRegion(
          paddle,
          clean,
          plain && upright.bilevel ? deskewedGray() : soft,
          px,
          toPx(MIN_LINE_PT, dpi),
          signal,
        )
    : (px) => read(px, "block");
  const softened = paddle !== null && softensLines(clean, soft);
  return {
    page,
    dpi,
    ink,
    ruleInk,
    clean,
    read,
    readLines,
    primary: paddle ? "paddle" : "tesseract",
    softened,
  };
}
