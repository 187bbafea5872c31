import type { PathShape } from "../pdf/graphics.js";
import type { BBox } from "../schema.js";

/**
 * Ruling lines from vector graphics: stroked segments, thin filled rectangles (how Chromium and
 * many producers draw borders) and the edges of stroked rectangles. Small boxes are checkboxes,
 * not rulings, and are left out. Units: PDF points, origin top-left.
 */

export interface Ruling {
  /** y for horizontal rulings, x for vertical ones. */
  at: number;
  from: number;
  to: number;
}

export interface Rulings {
  horizontal: Ruling[];
  vertical: Ruling[];
}

/** Longest side of a box that is a checkbox rather than a cell: cells are taller than 20 pt. */
export const MAX_CHECKBOX_SIDE = 20;
const THIN = 2.5;
const MIN_RULING = 8;

export function isSmallBox(b: BBox): boolean {
  const w = b[2] - b[0];
  const h = b[3] - b[1];
  return w >= 3 && h >= 3 && w <= MAX_CHECKBOX_SIDE && h <= MAX_CHECKBOX_SIDE && w / h > 0.6 && w / h < 1.6;
}

function isWhite(color: string | null): boolean {
  return color !== null && /^#f[0-9a-f]f[0-9a-f]f[0-9a-f]$/i.test(color);
}

export function detectRulings(shapes: readonly PathShape[]): Rulings {
  const h: Ruling[] = [];
  const v: Ruling[] = [];
  const addSegment = (s: BBox) => {
    const [x0, y0, x1, y1] = s;
    if (Math.abs(y0 - y1) < 0.5 && Math.abs(x1 - x0) >= MIN_RULING)
      h.push({ at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
    else if (Math.abs(x0 - x1) < 0.5 && Math.abs(y1 - y0) >= MIN_RULING)
      v.push({ at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
  };
  for (const shape of shapes) {
    const [x0, y0, x1, y1] = shape.bbox;
    const w = x1 - x0;
    const hgt = y1 - y0;
    if (shape.hasCurves || isSmallBox(shape.bbox)) continue;
    if (shape.filled && !shape.stroked) {
      if (isWhite(shape.fill)) continue;
      if (hgt <= THIN && w >= MIN_RULING) h.push({ at: (y0 + y1) / 2, from: x0, to: x1 });
      else if (w <= THIN && hgt >= MIN_RULING) v.push({ at: (x0 + x1) / 2, from: y0, to: y1 });
      else if (shape.closedRect) continue; // a shaded cell background, not a line
      continue;
    }
    if (shape.stroked) for (const s of shape.segments) addSegment(s);
  }
  return { horizontal: mergeRulings(h), vertical: mergeRulings(v) };
}

/** Collinear pieces (same `at` within 1.5 pt) that touch or overlap become one ruling. */
export function mergeRulings(lines: Ruling[]): Ruling[] {
  const sorted = [...lines].sort((a, b) => a.at - b.at || a.from - b.from);
  const groups: Ruling[][] = [];
  for (const l of sorted) {
    const g = groups.at(-1);
    if (g && Math.abs(g[0]!.at - l.at) <= 1.5) g.push(l);
    else groups.push([l]);
  }
  const out: Ruling[] = [];
  for (const g of groups) {
    const at = g.reduce((s, l) => s + l.at, 0) / g.length;
    const pieces = g.sort((a, b) => a.from - b.from);
    let cur = { at, from: pieces[0]!.from, to: pieces[0]!.to };
    for (const p of pieces.slice(1)) {
      if (p.from <= cur.to + 2) cur.to = Math.max(cur.to, p.to);
      else {
        out.push(cur);
        cur = { at, from: p.from, to: p.to };
      }
    }
    out.push(cur);
  }
  return out;
}
