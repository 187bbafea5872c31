/**
 * 8-bit gray page images and the few pixel operations the OCR path needs. Pixel geometry: x to the
 * right, y down, origin top-left; `dpi` converts pixels to PDF points (x · 72 / dpi).
 */

export interface GrayImage {
  width: number;
  height: number;
  /** Row-major, 0 = black, 255 = white. */
  data: Uint8Array;
  /** Pixels per inch on the page the image covers. */
  dpi: number;
}

/** Binary image: 1 = ink. */
export interface InkImage {
  width: number;
  height: number;
  ink: Uint8Array;
}

/** Otsu's threshold over the gray histogram: the split that best separates ink from paper. */
export function otsuThreshold(img: GrayImage): number {
  // Every 3rd pixel is plenty for a histogram and 3× cheaper. Counted into four interleaved
  // histograms, by turns: a page is mostly one paper level, and one counter bumped back to back
  // waits on its own previous store.
  const counts = new Uint32Array(256 * 4);
  const data = img.data;
  for (let i = 0, k = 0; i < data.length; i += 3, k = (k + 1) & 3) counts[(data[i]! << 2) | k]!++;
  const hist = new Float64Array(256);
  for (let v = 0; v < 256; v++)
    hist[v] = counts[v * 4]! + counts[v * 4 + 1]! + counts[v * 4 + 2]! + counts[v * 4 + 3]!;
  let total = 0;
  let sum = 0;
  for (let t = 0; t < 256; t++) {
    total += hist[t]!;
    sum += t * hist[t]!;
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

export function binarize(img: GrayImage, threshold = otsuThreshold(img)): InkImage {
  const ink = new Uint8Array(img.width * img.height);
  const data = img.data;
  // Written only where ink: most of a page is paper, and the array starts at 0.
  for (let i = 0; i < ink.length; i++) if (data[i]! <= threshold) ink[i] = 1;
  return { width: img.width, height: img.height, ink };
}

/** `binarize` at two thresholds in one pass over the pixels: the same two images, one read of the gray. */
export function binarizeTwice(img: GrayImage, first: number, second: number): [InkImage, InkImage] {
  const a = new Uint8Array(img.width * img.height);
  const b = new Uint8Array(img.width * img.height);
  const data = img.data;
  for (let i = 0; i < a.length; i++) {
    const v = data[i]!;
    if (v <= first) a[i] = 1;
    if (v <= second) b[i] = 1;
  }
  return [
    { width: img.width, height: img.height, ink: a },
    { width: img.width, height: img.height, ink: b },
  ];
}

/** A rectangle of pixels, [x0, y0, x1, y1), clamped to the image. */
export type PixelBox = [number, number, number, number];

export function clampBox(b: PixelBox, w: number, h: number): PixelBox {
  const x0 = Math.max(0, Math.min(w, Math.round(b[0])));
  const y0 = Math.max(0, Math.min(h, Math.round(b[1])));
  return [x0, y0, Math.max(x0, Math.min(w, Math.round(b[2]))), Math.max(y0, Math.min(h, Math.round(b[3])))];
}

export function crop(img: GrayImage, box: PixelBox): GrayImage {
  const [x0, y0, x1, y1] = clampBox(box, img.width, img.height);
  const w = x1 - x0;
  const h = y1 - y0;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    out.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x1), y * w);
  return { width: w, height: h, data: out, dpi: img.dpi };
}

export function countInk(ink: InkImage, box: PixelBox): number {
  const [x0, y0, x1, y1] = clampBox(box, ink.width, ink.height);
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += ink.ink[y * ink.width + x]!;
  return n;
}

/** Netpbm P5: the cheapest image format tesseract reads (no compression to pay for). */
export function toPgm(img: GrayImage): Uint8Array {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, "latin1");
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data, header.length);
  return out;
}

/**
 * How much of a pixel's redness (red over the mean of green and blue) is added back to its red
 * channel: seal ink lets about 87% of red through and half or less of green and blue, so 0.3
 * brings a seal on paper back to the paper's level and a gray rule under it back to the rule's.
 */
const RED_LIFT = 0.3;

/**
 * RGB(A) or packed 1-bit pixels to gray. `channels` 1 means 1 bit per pixel, 1 = white.
 * Colour goes through a red drop-out: red (an official seal, 公章) is lifted to paper white in
 * proportion to how much redder than the rest it is, so black toner under red ink stays dark and
 * blue or black pen stays ink; gray pixels map to their own value.
 */
export function toGray(
  width: number,
  height: number,
  data: Uint8Array | Uint8ClampedArray,
  channels: 1 | 3 | 4,
  dpi: number,
): GrayImage {
  const out = new Uint8Array(width * height);
  if (channels === 1) {
    const stride = Math.ceil(width / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        out[y * width + x] = (data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
      }
    }
  } else {
    for (let i = 0, j = 0; i < out.length; i++, j += channels) {
      const r = data[j]!;
      const g = data[j + 1]!;
      const b = data[j + 2]!;
      // A gray pixel (a gray scan decoded to RGB) maps to its own value: no float work for it.
      if (g === r && b === r) {
        out[i] = r;
        continue;
      }
      const v = r + RED_LIFT * (r - (g + b) / 2);
      out[i] = Math.max(0, Math.min(255, v));
    }
  }
  return { width, height, data: out, dpi };
}

/** Horizontal bands of ink (printed lines) in a region, top to bottom, as pixel boxes. */
export function inkBands(ink: InkImage, region: PixelBox, minInk: number): PixelBox[] {
  const [x0, y0, x1, y1] = clampBox(region, ink.width, ink.height);
  const bands: PixelBox[] = [];
  let start = -1;
  for (let y = y0; y <= y1; y++) {
    let n = 0;
    if (y < y1) for (let x = x0; x < x1; x++) n += ink.ink[y * ink.width + x]!;
    if (n >= minInk) {
      if (start < 0) start = y;
    } else if (start >= 0) {
      bands.push([x0, start, x1, y]);
      start = -1;
    }
  }
  return bands;
}
