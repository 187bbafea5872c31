import type { ErrorCode } from "../errors.js";
import type { Block } from "../layout/model.js";

/** Messages between the pool and its page workers (structured-cloned plain data). */

export type WorkerTask =
  | { kind: "count"; id: number; path: string; file: string }
  | { kind: "pages"; id: number; path: string; file: string; from: number; to: number }
  /** Render one page to PNG at `scale` (1 = 72 dpi), for the review page. */
  | { kind: "render"; id: number; path: string; file: string; page: number; scale: number };

export type WorkerReply =
  | { kind: "ready" }
  | { kind: "count"; id: number; pages: number }
  | { kind: "progress"; id: number; page: number }
  /** `blank`: nothing is drawn; `scanned`: an image covers the page and there is next to no text. */
  | {
      kind: "pages";
      id: number;
      pages: Array<{ page: number; blocks: Block[]; blank: boolean; scanned: boolean }>;
    }
  | { kind: "image"; id: number; png: Uint8Array; width: number; height: number }
  | { kind: "error"; id: number; code: ErrorCode; message: string; page: number | null };
