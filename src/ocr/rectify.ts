import { binarize, type GrayImage, type InkImage } from "./image.js";

/**
 * A sheet photographed at an angle (a phone photo) made flat again: the table's outer border,
 * which is a rectangle on paper, is found as the corners of the largest network of ink lines; if
 * its sides are not parallel the image is warped by the homography that makes them so. A scan
 * (sides parallel already) is returned unchanged. Pixel geometry: x right, y down, origin
 * top-left of the image.
 */

type Pt = [number, number];

/** Sides this far from parallel (degrees) are a perspective, not a skew that deskewing undoes. */
const PERSPECTIVE_DEG = 0.3;
/** Work at this reduction: enough to place the corners to a few pixels. */
const SCALE = 4;

/** Ink at 1/SCALE: a cell is ink when any pixel under it is, so thin rules stay connected. */
function coarseInk(full: InkImage): { ink: Uint8Array; w: number; h: number } {
  const { width, height } = full;
  const src = full.ink;
  const w = Math.ceil(width / SCALE);
  const h = Math.ceil(height / SCALE);
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = Math.floor(y / SCALE) * w;
    // A cell already inked needs none of its other pixels looked at.
    for (let cx = 0; cx < w; cx++) {
      if (ink[out + cx]) continue;
      const x1 = Math.min(width, (cx + 1) * SCALE);
      for (let x = cx * SCALE; x < x1; x++)
        if (src[row + x]) {
          ink[out + cx] = 1;
          break;
        }
    }
  }
  return { ink, w, h };
}

/** The four corners of the largest ink component that does not touch the image's edge (a desk does). */
function tableCorners(full: InkImage): Pt[] | null {
  const { ink, w, h } = coarseInk(full);
  const label = new Int32Array(w * h);
  // One stack for every component (a pixel is pushed once, when labelled), popped in the same order
  // as a list would be; the extremes as numbers, not a fresh array per better point.
  const stack = new Int32Array(w * h);
  let best: { size: number; corners: Pt[] } | null = null;
  let next = 1;
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || label[start]) continue;
    const id = next++;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    let size = 0;
    let edge = false;
    let tlx = 0;
    let tly = 0;
    let tl = Infinity;
    let trx = 0;
    let try_ = 0;
    let tr = -Infinity;
    let brx = 0;
    let bry = 0;
    let br = -Infinity;
    let blx = 0;
    let bly = 0;
    let bl = Infinity;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % w;
      const y = (i - x) / w;
      size++;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) edge = true;
      if (x + y < tl) {
        tlx = x;
        tly = y;
        tl = x + y;
      }
      if (x - y > tr) {
        trx = x;
        try_ = y;
        tr = x - y;
      }
      if (x + y > br) {
        brx = x;
        bry = y;
        br = x + y;
      }
      if (x - y < bl) {
        blx = x;
        bly = y;
        bl = x - y;
      }
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (ink[j] && !label[j]) {
            label[j] = id;
            stack[top++] = j;
          }
        }
    }
    if (edge || (best && size <= best.size)) continue;
    const at = (px: number, py: number): Pt => [(px + 0.5) * SCALE, (py + 0.5) * SCALE];
    best = { size, corners: [at(tlx, tly), at(trx, try_), at(brx, bry), at(blx, bly)] };
  }
  return best?.corners ?? null;
}

const angle = (a: Pt, b: Pt) => (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
const dist = (a: Pt, b: Pt) => Math.hypot(b[0] - a[0], b[1] - a[1]);

/** The homography taking `from` to `to` (four points each), h33 = 1. */
export function homography(from: Pt[], to: Pt[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

/** How far (share of the side's length) a border may lie from the line between coarse corners. */
const SIDE_REACH = 0.03;
/** Offsets (pixels) between the lines tried first along a side. */
const SEARCH_STEP = 2;
/** Points along a side at which ink is counted. */
const SIDE_SAMPLES = 240;

/**
 * A side of the table found at full resolution: of the lines near the one between two coarse
 * corners (each end moved up to SIDE_REACH across it), the one that runs through the most ink —
 * a rule, where a coarse corner may sit on a glyph that touches the table. Null when no line is
 * ink nearly all along: no border there (a table left open at a page break).
 */
function fitSide(ink: Uint8Array, w: number, h: number, a: Pt, b: Pt, outward: Pt): Side | null {
  const len = dist(a, b);
  if (len === 0) return null;
  const reach = Math.max(4, Math.round(len * SIDE_REACH));
  const inkAt = (x: number, y: number) => {
    const xi = Math.round(x);
    const yi = Math.round(y);
    return xi >= 0 && yi >= 0 && xi < w && yi < h && ink[yi * w + xi] === 1;
  };
  // The points along the line between the corners, once per side (the same sums as per line tried).
  const fs = new Float64Array(SIDE_SAMPLES);
  const xs = new Float64Array(SIDE_SAMPLES);
  const ys = new Float64Array(SIDE_SAMPLES);
  for (let k = 0; k < SIDE_SAMPLES; k++) {
    const f = 0.05 + (0.9 * k) / SIDE_SAMPLES;
    fs[k] = f;
    xs[k] = a[0] + (b[0] - a[0]) * f;
    ys[k] = a[1] + (b[1] - a[1]) * f;
  }
  /** The line's score, or any value up to `floor` once it can no longer beat `floor`. */
  const scoreOf = (s: number, t: number, floor: number) => {
    let score = 0;
    for (let k = 0; k < SIDE_SAMPLES; k++) {
      const off = s + (t - s) * fs[k]!;
      const x = xs[k]! + outward[0] * off;
      const y = ys[k]! + outward[1] * off;
      if (inkAt(x, y) || inkAt(x + outward[1], y + outward[0]) || inkAt(x - outward[1], y - outward[0]))
        score++;
      // Only a line that beats the best so far is kept: stop when even all the rest would not.
      else if (score + SIDE_SAMPLES - 1 - k <= floor) return score;
    }
    return score;
  };
  // Every other offset first (a rule is caught within a pixel either side), then every offset
  // around the best: a quarter of the work of trying them all.
  let best = { score: -1, s: 0, t: 0 };
  for (let s = -reach; s <= reach; s += SEARCH_STEP)
    for (let t = -reach; t <= reach; t += SEARCH_STEP) {
      const score = scoreOf(s, t, best.score);
      if (score > best.score) best = { score, s, t };
    }
  const coarse = best;
  for (let s = coarse.s - SEARCH_STEP; s <= coarse.s + SEARCH_STEP; s++)
    for (let t = coarse.t - SEARCH_STEP; t <= coarse.t + SEARCH_STEP; t++) {
      if (Math.abs(s) > reach || Math.abs(t) > reach) continue;
      const score = scoreOf(s, t, best.score);
      if (score > best.score) best = { score, s, t };
    }
  if (best.score < SIDE_SAMPLES * 0.9) return null;
  const p: Pt = [a[0] + outward[0] * best.s, a[1] + outward[1] * best.s];
  const q: Pt = [b[0] + outward[0] * best.t, b[1] + outward[1] * best.t];
  const l = dist(p, q);
  return { p, d: [(q[0] - p[0]) / l, (q[1] - p[1]) / l] };
}

type Side = { p: Pt; d: Pt };

function intersect(l: Side, m: Side): Pt | null {
  const det = l.d[0] * m.d[1] - l.d[1] * m.d[0];
  if (Math.abs(det) < 1e-9) return null;
  const t = ((m.p[0] - l.p[0]) * m.d[1] - (m.p[1] - l.p[1]) * m.d[0]) / det;
  return [l.p[0] + l.d[0] * t, l.p[1] + l.d[1] * t];
}

/** The table's corners to sub-pixel precision: coarse corners, then each side fitted and intersected. */
function refinedCorners(ink: InkImage): Pt[] | null {
  const coarse = tableCorners(ink);
  if (!coarse) return null;
  const [tl, tr, br, bl] = coarse as [Pt, Pt, Pt, Pt];
  const { width: w, height: h, ink: full } = ink;
  const sides = [
    fitSide(full, w, h, tl, tr, [0, -1]),
    fitSide(full, w, h, tr, br, [1, 0]),
    fitSide(full, w, h, br, bl, [0, 1]),
    fitSide(full, w, h, bl, tl, [-1, 0]),
  ];
  // A table left open at a page break has three borders: its open side's corners are the coarse
  // ones moved onto the two side borders. With fewer, nothing says perspective.
  const missing = sides.filter((x) => x === null).length;
  if (missing > 1 || !sides[1] || !sides[3]) return null;
  const [top, right, bottom, left] = sides as [Side | null, Side, Side | null, Side];
  const onto = (q: Pt, l: Side): Pt => {
    const t = (q[0] - l.p[0]) * l.d[0] + (q[1] - l.p[1]) * l.d[1];
    return [l.p[0] + l.d[0] * t, l.p[1] + l.d[1] * t];
  };
  const corners = [
    top ? intersect(left, top) : onto(tl, left),
    top ? intersect(top, right) : onto(tr, right),
    bottom ? intersect(right, bottom) : onto(br, right),
    bottom ? intersect(bottom, left) : onto(bl, left),
  ];
  return corners.every((c) => c !== null) ? (corners as Pt[]) : coarse;
}

/**
 * The homography (output pixel -> input pixel) that makes the table's sides parallel, or null for a
 * scan. `ink` is `img` binarized at its Otsu threshold, when the caller has it already.
 */
export function findPerspective(img: GrayImage, ink: InkImage = binarize(img)): number[] | null {
  const corners = refinedCorners(ink);
  if (!corners) return null;
  const [tl, tr, br, bl] = corners as [Pt, Pt, Pt, Pt];
  const skewOf = (d: number) => Math.abs(((d + 540) % 360) - 180);
  const horizontal = skewOf(angle(tl, tr) - angle(bl, br));
  const vertical = skewOf(angle(tl, bl) - angle(tr, br));
  if (Math.max(horizontal, vertical) < PERSPECTIVE_DEG) return null;
  const width = (dist(tl, tr) + dist(bl, br)) / 2;
  const height = (dist(tl, bl) + dist(tr, br)) / 2;
  // The table as an upright rectangle centred where it was.
  const cx = (tl[0] + tr[0] + br[0] + bl[0]) / 4;
  const cy = (tl[1] + tr[1] + br[1] + bl[1]) / 4;
  const rect: Pt[] = [
    [cx - width / 2, cy - height / 2],
    [cx + width / 2, cy - height / 2],
    [cx + width / 2, cy + height / 2],
    [cx - width / 2, cy + height / 2],
  ];
  return homography(rect, corners);
}

/** The image seen through `h` (output pixel -> input pixel), bilinear, white where nothing maps. */
export function warp(img: GrayImage, h: readonly number[]): GrayImage {
  const { width: w, height: hh, data } = img;
  const out = new Uint8Array(w * hh).fill(255);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let y = 0; y < hh; y++) {
    // Per row: the y terms (the sums below add them in the same order as written out per pixel).
    const h1y = h1 * y;
    const h4y = h4 * y;
    const h7y = h7 * y;
    for (let x = 0; x < w; x++) {
      const d = h6 * x + h7y + 1;
      const sx = (h0 * x + h1y + h2) / d;
      const sy = (h3 * x + h4y + h5) / d;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= hh - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + w]! + (data[i + w + 1]! - data[i + w]!) * fx;
      out[y * w + x] = top + (bottom - top) * fy;
    }
  }
  return { ...img, data: out };
}

/**
 * The sheet in a (flattened) photo: the bounding box of the largest bright region of the photo as
 * taken, which the desk around it is not; everything outside it is made white.
 */
export function keepSheet(flat: GrayImage, photo: GrayImage): GrayImage {
  const w = Math.ceil(photo.width / SCALE);
  const h = Math.ceil(photo.height / SCALE);
  const mean = new Float32Array(w * h);
  for (let y = 0; y < photo.height; y++) {
    const row = y * photo.width;
    const out = Math.floor(y / SCALE) * w;
    for (let x = 0; x < photo.width; x++)
      mean[out + Math.floor(x / SCALE)]! += photo.data[row + x]! / SCALE ** 2;
  }
  // A typed array sorts numerically by itself: no boxed copy, no comparator calls.
  const sorted = mean.slice().sort();
  // Paper: brighter than halfway between the desk's typical level and the paper's.
  const cut = (sorted[Math.floor(sorted.length * 0.05)]! + sorted[Math.floor(sorted.length * 0.9)]!) / 2;
  const seen = new Uint8Array(w * h);
  let box: [number, number, number, number] | null = null;
  let bestSize = 0;
  for (let start = 0; start < mean.length; start++) {
    if (seen[start] || mean[start]! < cut) continue;
    const stack = [start];
    seen[start] = 1;
    let size = 0;
    const b: [number, number, number, number] = [w, h, 0, 0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      size++;
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
      // The four neighbours in this order, without an array of them per pixel.
      for (let n = 0; n < 4; n++) {
        const j = n === 0 ? i - 1 : n === 1 ? i + 1 : n === 2 ? i - w : i + w;
        if (j >= 0 && j < mean.length && !seen[j] && mean[j]! >= cut && Math.abs((j % w) - x) <= 1) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    if (size > bestSize) [bestSize, box] = [size, b];
  }
  if (!box) return flat;
  // A cell in from the sheet's edge, where the desk still shows through the blur.
  const [x0, y0, x1, y1] = [
    (box[0] + 2) * SCALE,
    (box[1] + 2) * SCALE,
    (box[2] - 1) * SCALE,
    (box[3] - 1) * SCALE,
  ];
  const data = flat.data.slice();
  const fw = flat.width;
  // Whole rows above and below the sheet, and each row's stretches left and right of it.
  for (let y = 0; y < flat.height; y++) {
    if (y < y0 || y >= y1) data.fill(255, y * fw, (y + 1) * fw);
    else {
      data.fill(255, y * fw, y * fw + Math.min(fw, Math.max(0, x0)));
      data.fill(255, y * fw + Math.min(fw, Math.max(0, x1)), (y + 1) * fw);
    }
  }
  return { ...flat, data };
}
