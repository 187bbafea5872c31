import { createRequire } from "node:module";
import type { Image } from "@napi-rs/canvas";
import type { Context } from "../service/context.js";
import { Lru } from "./lru.js";
import { cropSource } from "./page-images.js";

/**
 * A cell's crop for the flag panel, the box the page asks for (margin included) cut out of:
 * a scanned page's own pixels, upright by its stored frame and never resampled (a 300 dpi scan
 * gives 4.17 pixels a point, over twice the panel's 1.5 CSS pixels: sharp on a 2× screen, as
 * is); a drawn page rendered at CROP_SCALE (twice the panel's scale). The box is bounded
 * (MAX_CROP_POINTS a side): a crafted query cannot ask for a whole huge page. Crops and the
 * decoded pictures are kept in small LRUs, so stepping through flags does not redecode a page.
 */

const require = createRequire(import.meta.url);

export const CROP_SCALE = 3;
export const MAX_CROP_POINTS = 800;

/** A bbox from `x0,y0,x1,y1` (PDF points, top-left origin), or null when it is not one. */
export function parseBox(text: string | undefined): [number, number, number, number] | null {
  const parts = (text ?? "")
    .split(",")
    .map((s) => (/^\d{1,5}(\.\d{1,3})?$/.test(s) ? Number(s) : Number.NaN));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [x0, y0, x1, y1] = parts as [number, number, number, number];
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : null;
}

interface Caches {
  crops: Lru<Buffer>;
  pictures: Lru<{ image: Image; scale: number }>;
}
const caches = new WeakMap<Context, Caches>();

/** This server's crop caches (64 crops of a few KB; 2 decoded pages of up to ~35 MB each). */
export function cropCaches(ctx: Context): Caches {
  const c = caches.get(ctx) ?? { crops: new Lru<Buffer>(64), pictures: new Lru(2) };
  caches.set(ctx, c);
  return c;
}

async function picture(ctx: Context, doc: { sha256: string; name: string }, pageNo: number) {
  const { pictures } = cropCaches(ctx);
  const key = `${doc.sha256}/${pageNo}`;
  const hit = pictures.get(key);
  if (hit) return hit;
  const { loadImage } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const src = await cropSource(ctx, doc.sha256, doc.name, pageNo, CROP_SCALE);
  const made = { image: await loadImage(src.png), scale: src.scale };
  pictures.set(key, made);
  return made;
}

export async function cropImage(
  ctx: Context,
  doc: { sha256: string; name: string },
  pageNo: number,
  box: readonly [number, number, number, number],
): Promise<Buffer> {
  const { crops } = cropCaches(ctx);
  const key = `${doc.sha256}/${pageNo}/${box.join(",")}`;
  const hit = crops.get(key);
  if (hit) return hit;
  const { createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const { image, scale } = await picture(ctx, doc, pageNo);
  // Exactly the box asked for, at the picture's own scale; what lies off the page is white.
  const x0 = Math.floor(box[0] * scale);
  const y0 = Math.floor(box[1] * scale);
  const w = Math.max(1, Math.ceil(Math.min(box[2], box[0] + MAX_CROP_POINTS) * scale) - x0);
  const h = Math.max(1, Math.ceil(Math.min(box[3], box[1] + MAX_CROP_POINTS) * scale) - y0);
  const canvas = createCanvas(w, h);
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, w, h);
  // Only the part inside the picture is copied, pixel for pixel (no stretching at an edge).
  const [sw, sh] = [Math.min(w, image.width - x0), Math.min(h, image.height - y0)];
  if (sw > 0 && sh > 0) g.drawImage(image, x0, y0, sw, sh, 0, 0, sw, sh);
  const png = canvas.toBuffer("image/png");
  crops.set(key, png);
  return png;
}
