import type { ErrorCode } from "../errors.js";
import type { Block } from "../layout/model.js";
import type { PageFrame } from "../ocr/page-frame.js";
import type { OcrSettings } from "../ocr/settings.js";

/** Messages between the pool and its page workers (structured-cloned plain data). */

/** What a page worker needs to read scanned pages; null: OCR is off (they are reported as NEEDS_OCR). */
export type PageOcr = Pick<OcrSettings, "engine" | "model" | "pageTimeoutMs"> | null;

/** A page as a page worker read it. */
export interface PageResult {
  page: number;
  blocks: Block[];
  /** Nothing is drawn on it. */
  blank: boolean;
  /** No usable text layer, and not read by OCR (OCR off): reported as NEEDS_OCR. */
  scanned: boolean;
  /** Why the page (read by OCR) could not be read, with its page number. */
  errors: Array<{ code: ErrorCode; message: string; page: number }>;
  /** A page read by OCR: how it was made upright and level, stored for its review image. */
  frame?: PageFrame;
}

export type WorkerTask =
  | { kind: "count"; id: number; path: string; file: string }
  /** Read pages from..to; scanned ones by OCR, within the OCR page budget. */
  | { kind: "pages"; id: number; path: string; file: string; from: number; to: number; ocr: PageOcr }
  /**
   * Render one page to PNG at `scale` (1 = 72 dpi), for the review page. A page read by OCR is
   * drawn upright and level by its stored `frame`; without one (stored before frames were kept)
   * the frame is measured again. `native`: a scanned page keeps its own pixels (no resampling,
   * the scale its dpi gives); only a drawn page is rendered at `scale`.
   */
  | {
      kind: "render";
      id: number;
      path: string;
      file: string;
      page: number;
      scale: number;
      frame: PageFrame | null;
      native?: boolean;
    };

export type WorkerReply =
  | { kind: "ready" }
  | { kind: "count"; id: number; pages: number }
  /** Work on `page` began; `budgetMs`: the page's own time budget (an OCR page's is longer). */
  | { kind: "progress"; id: number; page: number; budgetMs?: number }
  | { kind: "pages"; id: number; pages: PageResult[] }
  /** `scale`: the image's pixels per point (a native scan's is its dpi / 72). */
  | { kind: "image"; id: number; png: Uint8Array; width: number; height: number; scale: number }
  | { kind: "error"; id: number; code: ErrorCode; message: string; page: number | null };
