import type { ErrorCode } from "../errors.js";
import type { Block } from "../layout/model.js";

/** Messages between the pool and its page workers (structured-cloned plain data). */

export type WorkerTask =
  | { kind: "count"; id: number; path: string; file: string }
  | { kind: "pages"; id: number; path: string; file: string; from: number; to: number }
  /** A scanned page's pixels for OCR: a PDF page's own scan image, or an image file's. */
  | { kind: "image"; id: number; path: string; file: string; page: number }
  /** Render one page to PNG at `scale` (1 = 72 dpi), for the review page. */
  | { kind: "render"; id: number; path: string; file: string; page: number; scale: number };

export type WorkerReply =
  | { kind: "ready" }
  | { kind: "count"; id: number; pages: number }
  | { kind: "progress"; id: number; page: number }
  /** `blank`: nothing is drawn; `scanned`: no usable text layer, the page is read by OCR. */
  | {
      kind: "pages";
      id: number;
      pages: Array<{ page: number; blocks: Block[]; blank: boolean; scanned: boolean }>;
    }
  | { kind: "image"; id: number; png: Uint8Array; width: number; height: number }
  /** 8-bit gray pixels, top-left origin, upright as the page is read; `dpi` maps them to points. */
  | { kind: "gray"; id: number; width: number; height: number; dpi: number; data: Uint8Array }
  | { kind: "error"; id: number; code: ErrorCode; message: string; page: number | null };
