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
  const hist = new Float64Array(256);
  // Every 3rd pixel is plenty for a histogram and 3× cheaper.
  for (let i = 0; i < img.data.length; i += 3) hist[img.data[i]!]!++;
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
  for (let i = 0; i < ink.length; i++) ink[i] = img.data[i]! <= threshold ? 1 : 0;
  return { width: img.width, height: img.height, ink };
}

/** Turns the image clockwise by a multiple of 90°. */
export function rotateQuarter(img: GrayImage, degrees: 0 | 90 | 180 | 270): GrayImage {
  if (degrees === 0) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const [nw, nh] = degrees === 180 ? [w, h] : [h, w];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x]!;
      if (degrees === 90) out[x * nw + (h - 1 - y)] = v;
      else if (degrees === 180) out[(h - 1 - y) * nw + (w - 1 - x)] = v;
      else out[(w - 1 - x) * nw + y] = v;
    }
  }
  return { width: nw, height: nh, data: out, dpi: img.dpi };
}

/**
 * Rotates by a small angle (degrees, clockwise positive) about the centre, bilinear, white fill.
 * Used to undo skew, so the result keeps the page's size and its points frame.
 */
export function rotateSmall(img: GrayImage, degrees: number): GrayImage {
  if (Math.abs(degrees) < 0.02) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Inverse map: where in the source each output pixel comes from.
    let sx = cx - cx * cos + dy * sin;
    let sy = cy + cx * sin + dy * cos;
    for (let x = 0; x < w; x++, sx += cos, sy -= sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + w]! + (data[i + w + 1]! - data[i + w]!) * fx;
      out[y * w + x] = top + (bottom - top) * fy;
    }
  }
  return { width: w, height: h, data: out, dpi: img.dpi };
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

/** RGB(A) or packed 1-bit pixels to gray. `channels` 1 means 1 bit per pixel, 1 = white. */
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
      out[i] = (77 * data[j]! + 150 * data[j + 1]! + 29 * data[j + 2]!) >> 8;
    }
  }
  return { width, height, data: out, dpi };
}

/** Shrinks by an integer-free factor (> 1) with a box filter: tesseract reads large type badly. */
export function downscale(img: GrayImage, factor: number): GrayImage {
  if (factor <= 1) return img;
  const w = Math.max(1, Math.floor(img.width / factor));
  const h = Math.max(1, Math.floor(img.height / factor));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor(y * factor);
    const sy1 = Math.min(img.height, Math.max(sy0 + 1, Math.floor((y + 1) * factor)));
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor(x * factor);
      const sx1 = Math.min(img.width, Math.max(sx0 + 1, Math.floor((x + 1) * factor)));
      let sum = 0;
      for (let yy = sy0; yy < sy1; yy++)
        for (let xx = sx0; xx < sx1; xx++) sum += img.data[yy * img.width + xx]!;
      out[y * w + x] = sum / ((sy1 - sy0) * (sx1 - sx0));
    }
  }
  return { width: w, height: h, data: out, dpi: img.dpi / factor };
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

/** Stroke width of body text in print, points (CJK body type at 10–12 pt). */
const PRINT_STROKE_PT = 0.9;

/** The most common length of a horizontal ink run up to 1/10 inch: the page's stroke width, pixels. */
export function strokeWidth(ink: InkImage, dpi: number): number {
  const max = Math.max(4, Math.round(dpi / 10));
  const hist = new Uint32Array(max + 1);
  const { width: w, height: h } = ink;
  for (let y = 0; y < h; y += 2) {
    let run = 0;
    for (let x = 0; x <= w; x++) {
      if (x < w && ink.ink[y * w + x]) run++;
      else if (run > 0) {
        if (run <= max) hist[run]!++;
        run = 0;
      }
    }
  }
  let mode = 1;
  for (let i = 2; i <= max; i++) if (hist[i]! > hist[mode]!) mode = i;
  return mode;
}

/**
 * Thins strokes a photocopy or a dark scan thickened: erodes one pixel off every edge per pass
 * until the stroke width is back near print weight. A page already at print weight is returned as is.
 */
export function thinStrokes(ink: InkImage, dpi: number): InkImage {
  const target = (PRINT_STROKE_PT * dpi) / 72;
  let passes = Math.floor((strokeWidth(ink, dpi) - target * 1.3) / 2) + 1;
  if (passes <= 0) return ink;
  passes = Math.min(passes, 3);
  let cur = ink.ink;
  const { width: w, height: h } = ink;
  for (let p = 0; p < passes; p++) {
    const next = new Uint8Array(cur.length);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        // Keep a pixel with ink on at least three of its four sides: edges go, thin strokes mostly stay.
        next[i] = cur[i]! && cur[i - 1]! + cur[i + 1]! + cur[i - w]! + cur[i + w]! >= 3 ? 1 : 0;
      }
    }
    cur = next;
  }
  return { width: w, height: h, ink: cur };
}

/** Enlarges by `factor` (> 1), bilinear: small type from a low-resolution scan reads better at 300 dpi. */
export function upscale(img: GrayImage, factor: number): GrayImage {
  if (factor <= 1) return img;
  const w = Math.round(img.width * factor);
  const h = Math.round(img.height * factor);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, (y + 0.5) / factor - 0.5);
    const y0 = Math.max(0, Math.floor(sy));
    const y1 = Math.min(img.height - 1, y0 + 1);
    const fy = Math.max(0, sy - y0);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, (x + 0.5) / factor - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const x1 = Math.min(img.width - 1, x0 + 1);
      const fx = Math.max(0, sx - x0);
      const top = img.data[y0 * img.width + x0]! * (1 - fx) + img.data[y0 * img.width + x1]! * fx;
      const bottom = img.data[y1 * img.width + x0]! * (1 - fx) + img.data[y1 * img.width + x1]! * fx;
      out[y * w + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width: w, height: h, data: out, dpi: img.dpi * factor };
}

/** 3×3 box blur: softens the stair-steps of a 1-bit scan before it is enlarged. */
export function boxBlur(img: GrayImage): GrayImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          sum += data[yy * w + xx]!;
          n++;
        }
      }
      out[y * w + x] = sum / n;
    }
  }
  return { ...img, data: out };
}
