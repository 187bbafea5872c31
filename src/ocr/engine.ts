import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { createWorker, OEM, PSM, type Worker } from "tesseract.js";
import { type GrayImage, type PixelBox, toPgm } from "./image.js";

/**
 * tesseract.js workers, one per core, created once and reused for every cell of every page.
 * Language data comes from the installed `@tesseract.js-data/chi_sim` (no network). Output boxes
 * are pixels of the image passed in, origin top-left.
 */

const require = createRequire(import.meta.url);

export type OcrModel = "4.0.0_best_int" | "4.0.0";
/** best_int: integer LSTM, measured faster at near-best accuracy (BENCHMARKS.md). */
export const DEFAULT_MODEL: OcrModel = "4.0.0_best_int";

export interface OcrWord {
  text: string;
  bbox: PixelBox;
  /** 0..1 */
  confidence: number;
  /** The word's characters with their own boxes (tesseract's symbols), when it gave them. */
  symbols?: Array<{ text: string; bbox: PixelBox }>;
}

export interface OcrLine {
  words: OcrWord[];
  bbox: PixelBox;
}

export type OcrMode = "block" | "line";

export class OcrTimeoutError extends Error {
  override readonly name = "OcrTimeoutError";
}

interface Slot {
  worker: Worker;
  /** Parameters last set on it, so a call sets only what changed. */
  mode: OcrMode | null;
  whitelist: string | null;
}

interface Task {
  image: GrayImage;
  mode: OcrMode;
  whitelist: string;
  resolve: (lines: OcrLine[]) => void;
  reject: (err: Error) => void;
}

function langPath(model: OcrModel): string {
  return require.resolve("@tesseract.js-data/chi_sim/package.json").replace(/package\.json$/, model);
}

/** Tesseract's block/line/word tree, as far as formex reads it. */
interface TessBlock {
  paragraphs: Array<{
    lines: Array<{
      bbox: TessBox;
      words: Array<{
        text: string;
        confidence: number;
        bbox: TessBox;
        symbols?: Array<{ text: string; bbox: TessBox }>;
      }>;
    }>;
  }>;
}
interface TessBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const box = (b: TessBox): PixelBox => [b.x0, b.y0, b.x1, b.y1];

export class OcrEngine {
  private readonly idle: Slot[] = [];
  private readonly queue: Task[] = [];
  private starting = 0;
  private live = 0;
  private closed = false;

  constructor(
    readonly size = Math.max(1, availableParallelism()),
    readonly model: OcrModel = DEFAULT_MODEL,
    /** One cell's recognition over this is abandoned and its worker replaced. */
    private readonly callTimeoutMs = 60_000,
  ) {}

  /** Recognizes one image (a cell or a strip of the page): its lines, in reading order. */
  recognize(image: GrayImage, mode: OcrMode, whitelist = ""): Promise<OcrLine[]> {
    if (this.closed) return Promise.reject(new Error("OCR engine is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ image, mode, whitelist, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error("OCR engine is closed"));
    await Promise.all(this.idle.splice(0).map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.idle.length > 0) {
      const slot = this.idle.pop()!;
      void this.runOn(slot, this.queue.shift()!);
    }
    if (this.queue.length > this.starting && this.live + this.starting < this.size) {
      this.starting++;
      void this.spawn().then(
        (slot) => {
          this.starting--;
          this.live++;
          this.release(slot);
        },
        (err: Error) => {
          this.starting--;
          // Without a single worker nothing can run: fail what waits instead of hanging.
          if (this.live + this.starting === 0)
            for (const t of this.queue.splice(0))
              t.reject(new Error(`OCR worker failed to start: ${err.message}`));
        },
      );
    }
  }

  private async spawn(): Promise<Slot> {
    const worker = await createWorker("chi_sim", OEM.LSTM_ONLY, {
      langPath: langPath(this.model),
      gzip: true,
      // Read the packaged data every start; nothing is cached or fetched.
      cacheMethod: "none",
      logger: () => undefined,
      errorHandler: () => undefined,
    });
    // chi_sim puts spaces between CJK characters; formex removes them, but keep the ASCII ones.
    await worker.setParameters({ preserve_interword_spaces: "1" });
    return { worker, mode: null, whitelist: null };
  }

  private release(slot: Slot): void {
    if (this.closed) {
      void slot.worker.terminate().catch(() => undefined);
      this.live--;
      return;
    }
    this.idle.push(slot);
    this.pump();
  }

  private async runOn(slot: Slot, task: Task): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (slot.mode !== task.mode || slot.whitelist !== task.whitelist) {
        await slot.worker.setParameters({
          tessedit_pageseg_mode: task.mode === "line" ? PSM.SINGLE_LINE : PSM.SINGLE_BLOCK,
          tessedit_char_whitelist: task.whitelist,
        });
        slot.mode = task.mode;
        slot.whitelist = task.whitelist;
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new OcrTimeoutError(`OCR of one region took over ${this.callTimeoutMs} ms`)),
          this.callTimeoutMs,
        );
      });
      const result = await Promise.race([
        slot.worker.recognize(Buffer.from(toPgm(task.image)), {}, { blocks: true, text: false }),
        timeout,
      ]);
      const blocks = (result.data.blocks ?? []) as unknown as TessBlock[];
      const lines: OcrLine[] = blocks.flatMap((b) =>
        b.paragraphs.flatMap((p) =>
          p.lines.map((l) => ({
            bbox: box(l.bbox),
            words: l.words.map((w) => ({
              text: w.text,
              bbox: box(w.bbox),
              confidence: w.confidence / 100,
              symbols: (w.symbols ?? []).map((sym) => ({ text: sym.text, bbox: box(sym.bbox) })),
            })),
          })),
        ),
      );
      clearTimeout(timer);
      task.resolve(lines);
      this.release(slot);
    } catch (err) {
      clearTimeout(timer);
      task.reject(err as Error);
      // A worker that timed out or failed may be wedged: replace it.
      this.live--;
      void slot.worker.terminate().catch(() => undefined);
      this.pump();
    }
  }
}
