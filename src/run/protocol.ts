import type { ErrorCode } from "../errors.js";
import type { Block } from "../layout/model.js";
import type { OcrSettings } from "../ocr/settings.js";

/** Messages between the pool and its page workers (structured-cloned plain data). */

export type WorkerTask =
  | { kind: "count"; id: number; path: string; file: string }
  | { kind: "pages"; id: number; path: string; file: string; from: number; to: number }
  /** Read one scanned page (a PDF page without a usable text layer, or an image file's page) by OCR. */
  | {
      kind: "ocr";
      id: number;
      path: string;
      file: string;
      page: number;
      ocr: Pick<OcrSettings, "engine" | "model" | "pageTimeoutMs">;
    }
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
  /** A scanned page read: its blocks, and the turn and skew that made it upright and level. */
  | { kind: "ocr"; id: number; page: number; blocks: Block[]; turn: 0 | 90 | 180 | 270; skew: number }
  | { kind: "image"; id: number; png: Uint8Array; width: number; height: number }
  | { kind: "error"; id: number; code: ErrorCode; message: string; page: number | null };
