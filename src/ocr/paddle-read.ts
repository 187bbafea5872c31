import type { OcrLine, OcrWord } from "./engine.js";
import { crop, type GrayImage, type PixelBox } from "./image.js";
import { findTextLines } from "./lines.js";
import type { PaddleRecognizer, RecognizedLine } from "./paddle.js";
import { boxBlur } from "./transform.js";

/**
 * A region of a cleaned page read line by line with the PaddleOCR recognizer, as OCR lines whose
 * words are single characters. A character's box is centred on the CTC step that emitted it and
 * one em wide (the line's median CJK advance), so punctuation width can be judged by the room
 * its neighbours leave, as for tesseract's symbol boxes. Boxes: page pixels, origin top-left.
 */

const isCjk = (ch: string) => /[\u3400-\u9FFF\uF900-\uFAFF]/u.test(ch);

/**
 * The line's em: the median pitch over runs of CJK characters (centre distance over the count of
 * steps, at least three apart), or null with none. A CTC position is quantized to a fifth of an em,
 * so one neighbour gap is too coarse to tell a full-width mark's room from a half-width one's.
 */
function measuredAdvance(line: RecognizedLine): number | null {
  const pitches: number[] = [];
  let run: number[] = [];
  const flush = () => {
    for (let i = 0; i < run.length; i++)
      for (let j = i + MIN_PITCH_SPAN; j < run.length; j++) pitches.push((run[j]! - run[i]!) / (j - i));
    run = [];
  };
  for (const c of line.chars) {
    if (isCjk(c.text)) run.push(c.x);
    else flush();
  }
  flush();
  if (pitches.length === 0) {
    line.chars.forEach((c, i) => {
      const next = line.chars[i + 1];
      if (next && isCjk(c.text) && isCjk(next.text)) pitches.push(next.x - c.x);
    });
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? null;
}

/** Steps between two characters of a run for their distance to measure the pitch. */
const MIN_PITCH_SPAN = 3;

/** Centre-to-centre span between two digits past which the dash between them is a long one (em). */
const LONG_DASH_SPAN_EM = 1.25;

/**
 * The recognizer spells a dash between digits as a hyphen whatever its length: one that spans
 * an em or more (`2017—2035`) is the long dash, measured from the digits' centres.
 */
function dashOf(line: RecognizedLine, i: number, em: number | null): string {
  const c = line.chars[i]!;
  const prev = line.chars[i - 1];
  const next = line.chars[i + 1];
  // Without CJK neighbours to measure an em by (a date cell), the dash stays as read.
  if (em === null || c.text !== "-" || !prev || !next || !/\d/.test(prev.text) || !/\d/.test(next.text))
    return c.text;
  return next.x - prev.x >= LONG_DASH_SPAN_EM * em ? "—" : c.text;
}

export function toOcrLine(line: RecognizedLine, box: PixelBox, inkTop: number, inkBottom: number): OcrLine {
  const measured = measuredAdvance(line);
  const em = measured ?? inkBottom - inkTop;
  // Spaces carry nothing here (text.ts puts one between Latin words) and would hide a mark's room.
  const words: OcrWord[] = line.chars
    .map((c, i) => ({ ...c, text: dashOf(line, i, measured) }))
    .filter((c) => c.text.trim() !== "")
    .map((c) => {
      const half = (isCjk(c.text) ? em : em * 0.5) / 2;
      const cx = box[0] + c.x;
      const b: PixelBox = [Math.round(cx - half), inkTop, Math.round(cx + half), inkBottom];
      return { text: c.text, bbox: b, confidence: c.p, symbols: [{ text: c.text, bbox: b }] };
    });
  return { words, bbox: [box[0], inkTop, box[2], inkBottom] };
}

/** Under this resolution the black-and-white line is softened first: the model reads gray edges better than stair-steps. */
const SOFTEN_BELOW_DPI = 250;

/** True when `readRegion` softens what it reads: a black-and-white page under SOFTEN_BELOW_DPI. */
export const softensLines = (clean: GrayImage, pixels: GrayImage) =>
  pixels.dpi < SOFTEN_BELOW_DPI && pixels === clean;

/** `clean` (ink black, the rest white) places the lines; `pixels` (the scan's gray) is what is read. */
export async function readRegion(
  recognizer: PaddleRecognizer,
  clean: GrayImage,
  pixels: GrayImage,
  px: PixelBox,
  minLineHeight: number,
  signal?: AbortSignal,
): Promise<OcrLine[]> {
  const out: OcrLine[] = [];
  for (const { box, inkTop, inkBottom } of findTextLines(clean, px, minLineHeight)) {
    signal?.throwIfAborted();
    const img = crop(pixels, box);
    // Rows of the margin that reach into a neighbouring line are blanked: only this line's ink is read.
    for (let y = 0; y < img.height; y++) {
      const pageY = box[1] + y;
      if (pageY < inkTop || pageY >= inkBottom) img.data.fill(255, y * img.width, (y + 1) * img.width);
    }
    // Softening helps a black-and-white line (stair-steps), not a gray one.
    const soften = softensLines(clean, pixels);
    const line = await recognizer.recognize(soften ? boxBlur(img) : img);
    if (line.chars.length > 0) out.push(toOcrLine(line, box, inkTop, inkBottom));
  }
  return out;
}
