import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DamagedPdfError, PageTooLargeError } from "../errors.js";
import type { Context } from "../service/context.js";
import { localFile } from "../store/files.js";
import { pageFrame } from "../store/page-frames.js";

/** Page images for the review page: rendered in the page pool, a few at a time, cached on disk. */

/** Page images are rendered at 1.5 × 72 dpi: sharp enough to read a cell, small enough to load fast. */
export const IMAGE_SCALE = 1.5;

/** Renders at once, whatever the pool's size: each may hold up to MAX_RENDER_PIXELS × 4 bytes. */
export const RENDERS_AT_ONCE = 2;

/** A counting semaphore: `run` waits for a free slot. */
class Gate {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(slots: number) {
    this.free = slots;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

const gates = new WeakMap<Context, Gate>();

/** A rendered page image, cached by file hash, page and scale; throws PageTooLargeError, DamagedPdfError. */
export async function pageImage(
  ctx: Context,
  sha256: string,
  name: string,
  pageNo: number,
  scale: number = IMAGE_SCALE,
): Promise<Buffer> {
  const cached = join(ctx.config.dataDir, "cache", "pages", sha256, `${pageNo}@${scale}.png`);
  const hit = await readFile(cached).catch(() => null);
  if (hit) return hit;
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const frame = await pageFrame(ctx.db, sha256, pageNo);
  const gate = gates.get(ctx) ?? new Gate(RENDERS_AT_ONCE);
  gates.set(ctx, gate);
  const result = await gate.run(() =>
    ctx.pool.run({ kind: "render", path, file: name, page: pageNo, scale, frame }),
  );
  if (result.kind === "error" && result.code === "PAGE_TOO_LARGE")
    throw new PageTooLargeError(result.message, { file: name, page: pageNo });
  if (result.kind === "error" && result.code === "DAMAGED_PDF")
    throw new DamagedPdfError(result.message, { file: name, page: pageNo });
  if (result.kind !== "image")
    throw new Error(result.kind === "error" ? `${result.code}: ${result.message}` : "render failed");
  const png = Buffer.from(result.png);
  await mkdir(dirname(cached), { recursive: true });
  const tmp = `${cached}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, png);
  await rename(tmp, cached);
  return png;
}
