import type { BBox } from "../schema.js";
import type { Ruling, Rulings } from "./rulings.js";

/**
 * Ruling lines to table cells: the elementary grid between every x and y ruling position, merged
 * where no ruling separates two neighbours, so row and column spans come out as one cell.
 * Units: PDF points, origin top-left.
 */

export interface GridCell {
  bbox: BBox;
}

export interface Grid {
  cells: GridCell[];
  /** The table's outer box. */
  extent: BBox;
}

const TOL = 2;

function cluster(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || v - out.at(-1)! > TOL) out.push(v);
  return out;
}

/** Rulings that meet another ruling: a lone rule under a title or a footer line is not the table. */
function connected(r: Rulings): Rulings {
  const touches = (h: Ruling, v: Ruling) =>
    v.at >= h.from - TOL && v.at <= h.to + TOL && h.at >= v.from - TOL && h.at <= v.to + TOL;
  const horizontal = r.horizontal.filter((h) => r.vertical.some((v) => touches(h, v)));
  const vertical = r.vertical.filter((v) => r.horizontal.some((h) => touches(h, v)));
  return { horizontal, vertical };
}

/**
 * A row cut by a page break often has no closing rule (Chromium leaves it open): its vertical
 * rulings run past the last horizontal one. Close the fragment where the verticals end.
 */
function closeOpenEnds(r: Rulings): Rulings {
  if (r.horizontal.length === 0 || r.vertical.length < 2) return r;
  const top = Math.min(...r.horizontal.map((h) => h.at));
  const bottom = Math.max(...r.horizontal.map((h) => h.at));
  const extra: Ruling[] = [];
  const below = r.vertical.filter((v) => v.to > bottom + 3);
  if (below.length >= 2) {
    extra.push({
      at: Math.max(...below.map((v) => v.to)),
      from: Math.min(...below.map((v) => v.at)),
      to: Math.max(...below.map((v) => v.at)),
    });
  }
  const above = r.vertical.filter((v) => v.from < top - 3);
  if (above.length >= 2) {
    extra.push({
      at: Math.min(...above.map((v) => v.from)),
      from: Math.min(...above.map((v) => v.at)),
      to: Math.max(...above.map((v) => v.at)),
    });
  }
  return { horizontal: [...r.horizontal, ...extra], vertical: r.vertical };
}

export function buildGrid(all: Rulings): Grid | null {
  const r = closeOpenEnds(connected(all));
  if (r.horizontal.length < 2 || r.vertical.length < 2) return null;
  const xs = cluster(r.vertical.map((v) => v.at));
  const ys = cluster(r.horizontal.map((h) => h.at));
  if (xs.length < 2 || ys.length < 2) return null;
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const verticalAt = (x: number, y: number) =>
    r.vertical.some((v) => Math.abs(v.at - x) <= TOL && v.from <= y + TOL && v.to >= y - TOL);
  const horizontalAt = (y: number, x: number) =>
    r.horizontal.some((h) => Math.abs(h.at - y) <= TOL && h.from <= x + TOL && h.to >= x - TOL);

  for (let i = 0; i < rows; i++) {
    const ymid = (ys[i]! + ys[i + 1]!) / 2;
    for (let j = 0; j < cols; j++) {
      const xmid = (xs[j]! + xs[j + 1]!) / 2;
      if (j + 1 < cols && !verticalAt(xs[j + 1]!, ymid)) union(i * cols + j, i * cols + j + 1);
      if (i + 1 < rows && !horizontalAt(ys[i + 1]!, xmid)) union(i * cols + j, (i + 1) * cols + j);
    }
  }
  const boxes = new Map<number, BBox>();
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const root = find(i * cols + j);
      const b = boxes.get(root);
      const e: BBox = [xs[j]!, ys[i]!, xs[j + 1]!, ys[i + 1]!];
      boxes.set(
        root,
        b ? [Math.min(b[0], e[0]), Math.min(b[1], e[1]), Math.max(b[2], e[2]), Math.max(b[3], e[3])] : e,
      );
    }
  }
  const cells = [...boxes.values()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map((bbox) => ({ bbox }));
  return { cells, extent: [xs[0]!, ys[0]!, xs.at(-1)!, ys.at(-1)!] };
}
