import type { GrayImage } from "./image.js";

/**
 * Uneven light taken out of a page image: the paper's own brightness is estimated over the page
 * (the brightest pixels of coarse blocks, smoothed), and every pixel is divided by it, so a
 * photo's vignette, a phone's shadow, aged paper or a photocopy's gray ground all come out white
 * and one threshold fits the whole page. Pixel geometry unchanged.
 */

/** Block side for the paper estimate, inches: larger than a character, smaller than a shadow. */
const BLOCK_IN = 0.12;
/** Paper brightness that varies less than this over the page is even enough to leave alone. */
const EVEN_SPREAD = 24;
/** Blocks whose brightest pixels are darker than this hold no paper at all. */
const NOT_PAPER = 96;

/** The paper level of each block: a high percentile, so ink inside the block does not count. */
function blockLevels(img: GrayImage, block: number): { levels: Float32Array; bw: number; bh: number } {
  const bw = Math.ceil(img.width / block);
  const bh = Math.ceil(img.height / block);
  const levels = new Float32Array(bw * bh);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      let n = 0;
      const y1 = Math.min(img.height, (by + 1) * block);
      const x1 = Math.min(img.width, (bx + 1) * block);
      for (let y = by * block; y < y1; y += 2)
        for (let x = bx * block; x < x1; x += 2) {
          hist[img.data[y * img.width + x]!]!++;
          n++;
        }
      let seen = 0;
      let v = 255;
      for (; v > 0; v--) {
        seen += hist[v]!;
        if (seen >= n * 0.1) break;
      }
      levels[by * bw + bx] = v;
    }
  }
  return { levels, bw, bh };
}

/** A max filter over the blocks: a block full of ink (a filled bar, a big glyph) takes its neighbours' paper. */
function spread(levels: Float32Array, bw: number, bh: number, r: number): Float32Array {
  const out = new Float32Array(levels.length);
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      let m = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < bw && yy < bh) m = Math.max(m, levels[yy * bw + xx]!);
        }
      out[y * bw + x] = m;
    }
  return out;
}

export function flattenLight(img: GrayImage): GrayImage {
  const block = Math.max(8, Math.round(BLOCK_IN * img.dpi));
  const { levels, bw, bh } = blockLevels(img, block);
  const paper = spread(levels, bw, bh, 1);
  let lo = 255;
  let hi = 0;
  for (const v of paper) {
    // Only paper-bright blocks count: a desk around a photographed sheet is not paper.
    if (v < NOT_PAPER) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (hi - lo < EVEN_SPREAD) return img;
  const { width, height } = img;
  const src = img.data;
  const data = new Uint8Array(src.length);
  // The columns' blocks and weights, the same for every row: worked out once.
  const xs0 = new Int32Array(width);
  const xs1 = new Int32Array(width);
  const txs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / block - 0.5));
    const x0 = Math.floor(fx);
    xs0[x] = x0;
    xs1[x] = Math.min(bw - 1, x0 + 1);
    txs[x] = fx - x0;
  }
  for (let y = 0; y < height; y++) {
    // Bilinear between block centres.
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(bh - 1, y0 + 1);
    const ty = fy - y0;
    const r0 = y0 * bw;
    const r1 = y1 * bw;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = xs0[x]!;
      const x1 = xs1[x]!;
      const tx = txs[x]!;
      const p =
        (paper[r0 + x0]! * (1 - tx) + paper[r0 + x1]! * tx) * (1 - ty) +
        (paper[r1 + x0]! * (1 - tx) + paper[r1 + x1]! * tx) * ty;
      // Where no paper is near (a desk around a photographed sheet) the pixel stays as it was.
      const v = p < NOT_PAPER ? src[row + x]! : (src[row + x]! * 255) / p;
      data[row + x] = Math.min(v, 255);
    }
  }
  return { ...img, data };
}
