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
  return (await rendered(ctx, sha256, name, pageNo, scale, false)).png;
}

/**
 * The picture a crop is cut from: a scanned page's own pixels (upright by its stored frame, never
 * resampled) or a drawn page rendered at `scale`; with its pixels per point.
 */
export function cropSource(
  ctx: Context,
  sha256: string,
  name: string,
  pageNo: number,
  scale: number,
): Promise<{ png: Buffer; scale: number }> {
  return rendered(ctx, sha256, name, pageNo, scale, true);
}

async function rendered(
  ctx: Context,
  sha256: string,
  name: string,
  pageNo: number,
  scale: number,
  native: boolean,
): Promise<{ png: Buffer; scale: number }> {
  const base = join(
    ctx.config.dataDir,
    "cache",
    "pages",
    sha256,
    native ? `${pageNo}@native` : `${pageNo}@${scale}`,
  );
  const hit = await readFile(`${base}.png`).catch(() => null);
  // A native image's scale is the scan's, known only once drawn: kept beside it.
  const known = native ? Number(await readFile(`${base}.scale`, "utf8").catch(() => "")) : scale;
  if (hit && known > 0) return { png: hit, scale: known };
  const path = await localFile(ctx.db, ctx.config.dataDir, sha256);
  const frame = await pageFrame(ctx.db, sha256, pageNo);
  const gate = gates.get(ctx) ?? new Gate(RENDERS_AT_ONCE);
  gates.set(ctx, gate);
  const result = await gate.run(() =>
    ctx.pool.run({ kind: "render", path, file: name, page: pageNo, scale, frame, native }),
  );
  if (result.kind === "error" && result.code === "PAGE_TOO_LARGE")
    throw new PageTooLargeError(result.message, { file: name, page: pageNo });
  if (result.kind === "error" && result.code === "DAMAGED_PDF")
    throw new DamagedPdfError(result.message, { file: name, page: pageNo });
  if (result.kind !== "image")
    throw new Error(result.kind === "error" ? `${result.code}: ${result.message}` : "render failed");
  const png = Buffer.from(result.png);
  await mkdir(dirname(base), { recursive: true });
  if (native) await atomicWrite(`${base}.scale`, String(result.scale));
  await atomicWrite(`${base}.png`, png);
  return { png, scale: result.scale };
}

/** Written aside and renamed, so a reader never sees half a file. */
async function atomicWrite(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
