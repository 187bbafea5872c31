import { createRequire } from "node:module";
import type { Context } from "../service/context.js";
import { pageImage } from "./page-images.js";

/**
 * A cell's crop for the flag panel: the page rendered at CROP_SCALE (216 dpi, twice the page
 * image's 1.5×, so sharp on a 2× screen and when zoomed) and the cell's box cut out with a margin.
 * The box is bounded (MAX_CROP_POINTS a side): a crafted query cannot ask for a whole huge page.
 */

const require = createRequire(import.meta.url);

export const CROP_SCALE = 3;
/** Points of margin around the cell, and the largest crop side in points. */
const MARGIN = 6;
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

export async function cropImage(
  ctx: Context,
  doc: { sha256: string; name: string },
  pageNo: number,
  box: readonly [number, number, number, number],
): Promise<Buffer> {
  const { loadImage, createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const img = await loadImage(await pageImage(ctx, doc.sha256, doc.name, pageNo, CROP_SCALE));
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));
  const x0 = clamp(Math.floor((box[0] - MARGIN) * CROP_SCALE), img.width);
  const y0 = clamp(Math.floor((box[1] - MARGIN) * CROP_SCALE), img.height);
  const x1 = clamp(Math.ceil(Math.min(box[2] + MARGIN, box[0] + MAX_CROP_POINTS) * CROP_SCALE), img.width);
  const y1 = clamp(Math.ceil(Math.min(box[3] + MARGIN, box[1] + MAX_CROP_POINTS) * CROP_SCALE), img.height);
  const [w, h] = [Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
  const canvas = createCanvas(w, h);
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, w, h);
  g.drawImage(img, x0, y0, w, h, 0, 0, w, h);
  return canvas.toBuffer("image/png");
}
