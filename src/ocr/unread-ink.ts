import type { OcrLine } from "./engine.js";
import type { GrayImage, PixelBox } from "./image.js";

/**
 * Ink a reading leaves unexplained: a glyph-sized run of ink on one of the read lines that no
 * recognized character's box reaches. Two readers can agree by both missing the same glyph (a
 * Kai `门` after `31`, which PaddleOCR drops and tesseract, held to digits, cannot spell); the
 * pixels still show it. Boxes: page pixels, origin top-left.
 */

const INK = 128;
/** A character's box reaches this far past its edges (ems): CTC places a character to about a fifth of an em. */
const REACH_EM = 0.25;
/** Ink columns this close (ems) are one run: the strokes of one glyph with white between them. */
const JOIN_EM = 0.12;
/** A run this tall (share of the line's ink height) is a glyph; a `1` is narrow but tall. */
const TALL = 0.45;
/** Or this wide and half as tall: a low glyph (`%`'s loops, `门`). */
const WIDE_EM = 0.35;
/** Narrower than this (ems) is a sliver: a thresholding crumb or a stroke of a rule left unerased. */
const MIN_WIDTH_EM = 0.12;
/** A run narrower than half an em this close to the cell's side (ems) is what is left of its rule. */
const SIDE_EM = 0.15;

export interface Run {
  from: number;
  to: number;
  top: number;
  bottom: number;
}

/** Runs of ink columns inside [x0, x1) × [top, bottom), joined across gaps of up to `join` blank columns. */
export function inkRuns(
  img: GrayImage,
  x0: number,
  x1: number,
  top: number,
  bottom: number,
  join: number,
): Run[] {
  const runs: Run[] = [];
  let open: Run | null = null;
  let blank = 0;
  for (let x = x0; x < x1; x++) {
    let first = -1;
    let last = -1;
    for (let y = top; y < bottom; y++) {
      if (img.data[y * img.width + x]! >= INK) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first < 0) {
      if (open && ++blank > join) {
        runs.push(open);
        open = null;
      }
      continue;
    }
    blank = 0;
    if (!open) open = { from: x, to: x + 1, top: first, bottom: last + 1 };
    else {
      open.to = x + 1;
      open.top = Math.min(open.top, first);
      open.bottom = Math.max(open.bottom, last + 1);
    }
  }
  if (open) runs.push(open);
  return runs;
}

/** The first glyph-sized run of ink on a read line that no character reaches, or null. */
export function unreadInk(clean: GrayImage, px: PixelBox, lines: readonly OcrLine[]): PixelBox | null {
  for (const line of lines) {
    if (line.words.length === 0) continue;
    const top = Math.max(px[1], line.bbox[1]);
    const bottom = Math.min(px[3], line.bbox[3]);
    const em = bottom - top;
    if (em <= 0) continue;
    const reach = REACH_EM * em;
    const boxes = line.words.map((w) => [w.bbox[0] - reach, w.bbox[2] + reach] as const);
    const x0 = Math.max(0, px[0]);
    const x1 = Math.min(clean.width, px[2]);
    for (const r of inkRuns(clean, x0, x1, top, bottom, Math.max(1, Math.round(JOIN_EM * em)))) {
      const height = r.bottom - r.top;
      const width = r.to - r.from;
      const glyph = height >= TALL * em || (width >= WIDE_EM * em && height >= (TALL / 2) * em);
      const side = r.from < x0 + SIDE_EM * em || r.to > x1 - SIDE_EM * em;
      if (!glyph || width < MIN_WIDTH_EM * em || (side && width < em / 2)) continue;
      if (!boxes.some(([a, b]) => r.from < b && r.to > a)) return [r.from, r.top, r.to, r.bottom];
    }
  }
  return null;
}
