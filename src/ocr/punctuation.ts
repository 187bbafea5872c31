import type { GrayImage, PixelBox } from "./image.js";

/**
 * Chinese punctuation read from its own pixels, where a recognizer reading a small mark at scan
 * resolution confuses it (，．、 and 。· ； and ： 《 and （): where the mark sits on the line, how
 * many strokes it has, whether it encloses paper (。), and which way its stroke leans (a comma's
 * tail down to the left, 、 down to the right). Width (`，` or `,`) is decided elsewhere, by the
 * room the mark takes. Pixel geometry: the cleaned page image (ink black), origin top-left.
 */

const INK = 128;

interface Blob {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  n: number;
  /** Covariance of the ink: the lean of the stroke. */
  sxy: number;
  sxx: number;
  syy: number;
}

function blobs(img: GrayImage, box: PixelBox, minInk: number): Blob[] {
  const [bx0, by0, bx1, by1] = box;
  const w = bx1 - bx0;
  const h = by1 - by0;
  const seen = new Uint8Array(w * h);
  const isInk = (x: number, y: number) => img.data[(by0 + y) * img.width + bx0 + x]! < INK;
  const out: Blob[] = [];
  for (let i = 0; i < w * h; i++) {
    const sx0 = i % w;
    const sy0 = (i - sx0) / w;
    if (seen[i] || !isInk(sx0, sy0)) continue;
    const pts: Array<[number, number]> = [];
    const stack = [i];
    seen[i] = 1;
    while (stack.length > 0) {
      const j = stack.pop()!;
      const x = j % w;
      const y = (j - x) / w;
      pts.push([x, y]);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || seen[yy * w + xx] || !isInk(xx, yy)) continue;
          seen[yy * w + xx] = 1;
          stack.push(yy * w + xx);
        }
    }
    if (pts.length < minInk) continue;
    const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const b: Blob = { x0: w, y0: h, x1: 0, y1: 0, n: pts.length, sxy: 0, sxx: 0, syy: 0 };
    for (const [x, y] of pts) {
      b.x0 = Math.min(b.x0, x + bx0);
      b.y0 = Math.min(b.y0, y + by0);
      b.x1 = Math.max(b.x1, x + bx0 + 1);
      b.y1 = Math.max(b.y1, y + by0 + 1);
      b.sxx += (x - mx) ** 2;
      b.syy += (y - my) ** 2;
      b.sxy += (x - mx) * (y - my);
    }
    out.push(b);
  }
  return out;
}

/** Paper enclosed by the blob (the hole of 。): a blank pixel at its centre with ink on all four sides. */
function enclosesPaper(img: GrayImage, b: Blob): boolean {
  const cx = Math.floor((b.x0 + b.x1) / 2);
  const cy = Math.floor((b.y0 + b.y1) / 2);
  const at = (x: number, y: number) => img.data[y * img.width + x]! < INK;
  if (at(cx, cy)) return false;
  const ray = (dx: number, dy: number) => {
    for (let x = cx, y = cy; x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1; x += dx, y += dy)
      if (at(x, y)) return true;
    return false;
  };
  return ray(1, 0) && ray(-1, 0) && ray(0, 1) && ray(0, -1);
}

/**
 * The mark in `box` (its columns, the line's ink rows `top`..`bottom`), or null when its shape
 * says nothing sure. `em`: the line's character size in pixels.
 */
export function readMark(img: GrayImage, box: PixelBox, em: number): string | null {
  const [, top, , bottom] = box;
  const parts = blobs(img, box, Math.max(2, Math.round((em / 40) ** 2)));
  const height = bottom - top;
  if (parts.length === 2) {
    const [a, b] = [...parts].sort((p, q) => p.y0 - q.y0) as [Blob, Blob];
    // Two marks one above the other: a colon's dots, or a semicolon's dot over a comma.
    if (b.y0 < a.y1) return null;
    const tall = (p: Blob) => (p.y1 - p.y0) / Math.max(1, p.x1 - p.x0);
    return tall(b) >= 1.35 * tall(a) && tall(b) >= 1.3 ? "；" : tall(b) <= 1.15 ? "：" : null;
  }
  if (parts.length !== 1) return null;
  const [p] = parts as [Blob];
  const w = p.x1 - p.x0;
  const h = p.y1 - p.y0;
  const centre = (p.y0 + p.y1) / 2 - top;
  // A middle dot sits at mid-height; every other mark here on the baseline.
  if (centre < 0.65 * height) return centre > 0.35 * height && w <= 0.3 * em && h <= 0.3 * em ? "·" : null;
  if (enclosesPaper(img, p) || (w >= 0.28 * em && h >= 0.28 * em && Math.abs(w - h) <= 0.25 * Math.max(w, h)))
    return "。";
  const lean = p.sxy / Math.max(1e-9, Math.sqrt(p.sxx * p.syy));
  if (h >= 1.3 * w) return lean < -0.3 ? "，" : lean > 0.3 ? "、" : null;
  if (w <= 0.2 * em && h <= 0.2 * em && Math.abs(w - h) <= 1) return "．";
  return lean > 0.3 ? "、" : lean < -0.3 ? "，" : null;
}
