import type { GrayImage, InkImage } from "./image.js";

/**
 * Pixel transforms of page images: quarter turns, small rotations, scaling, blur, stroke thinning.
 * Pixel geometry as in image.ts: x right, y down, origin top-left.
 */

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

/** Stroke width of body text in print, points (CJK body type at 10–12 pt). */
const PRINT_STROKE_PT = 0.9;

/** The most common length of a horizontal ink run up to 1/10 inch: the page's stroke width, pixels. */
export function strokeWidth(ink: InkImage, dpi: number): number {
  const max = Math.max(4, Math.round(dpi / 10));
  const hist = new Uint32Array(max + 1);
  const { width: w, height: h } = ink;
  const px = ink.ink;
  for (let y = 0; y < h; y += 2) {
    let run = 0;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (px[row + x]) run++;
      else if (run > 0) {
        if (run <= max) hist[run]!++;
        run = 0;
      }
    }
    // A run that reaches the row's end ends there.
    if (run > 0 && run <= max) hist[run]!++;
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
      for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
        // Keep a pixel with ink on at least three of its four sides: edges go, thin strokes mostly
        // stay. Written only where kept: the new array is paper already.
        if (cur[i] && cur[i - 1]! + cur[i + 1]! + cur[i - w]! + cur[i + w]! >= 3) next[i] = 1;
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
