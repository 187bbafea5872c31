import type { BBox } from "../schema.js";
import { apply, boxOf, type Matrix, type PathShape } from "./graphics.js";
import { pdfjs } from "./open.js";

/**
 * A pdf.js `constructPath` operator's path: its subpaths in user space (after the CTM), then the
 * shapes they paint in page points (origin top-left of the rotated page).
 */

export interface Subpath {
  points: Array<[number, number]>;
  curves: boolean;
  closed: boolean;
}

const OPS = pdfjs.OPS;
const STROKES = [
  OPS.stroke,
  OPS.closeStroke,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
];
const FILLS = [
  OPS.fill,
  OPS.eoFill,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
];

/**
 * pdf.js's packed path data (0 moveTo, 1 lineTo, 2 curveTo, 3 curveTo2/3, 4 closePath) through
 * `ctm`: the subpaths, and every point including curve controls (a clip path's extent).
 */
export function decodePath(
  data: ArrayLike<number>,
  ctm: Matrix,
): { subpaths: Subpath[]; userPoints: Array<[number, number]> } {
  const subpaths: Subpath[] = [];
  let cur: Subpath | null = null;
  const userPoints: Array<[number, number]> = [];
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      const p = apply(ctm, data[i]!, data[i + 1]!);
      i += 2;
      cur = { points: [p], curves: false, closed: false };
      subpaths.push(cur);
      userPoints.push(p);
    } else if (op === 1) {
      const p = apply(ctm, data[i]!, data[i + 1]!);
      i += 2;
      cur?.points.push(p);
      userPoints.push(p);
    } else if (op === 2 || op === 3) {
      const n = op === 2 ? 6 : 4;
      const p = apply(ctm, data[i + n - 2]!, data[i + n - 1]!);
      for (let k = 0; k < n - 2; k += 2) userPoints.push(apply(ctm, data[i + k]!, data[i + k + 1]!));
      i += n;
      if (cur) {
        cur.points.push(p);
        cur.curves = true;
      }
      userPoints.push(p);
    } else if (op === 4) {
      if (cur) cur.closed = true;
    } else break;
  }
  return { subpaths, userPoints };
}

/** The shapes `paintOp` paints: segments in page points, and whether each is a closed rectangle. */
export function shapesOf(
  subpaths: readonly Subpath[],
  view: Matrix,
  paintOp: number,
  fill: string | null,
  lineWidth: number,
): PathShape[] {
  const stroked = STROKES.includes(paintOp);
  const filled = FILLS.includes(paintOp);
  return subpaths.map((sp) => {
    const pts = sp.points.map(([px, py]) => apply(view, px, py));
    const segments: BBox[] = [];
    for (let k = 1; k < pts.length; k++)
      segments.push([pts[k - 1]![0], pts[k - 1]![1], pts[k]![0], pts[k]![1]]);
    if ((sp.closed || filled) && pts.length > 2)
      segments.push([pts.at(-1)![0], pts.at(-1)![1], pts[0]![0], pts[0]![1]]);
    const axisAligned = segments.every((s) => Math.abs(s[0] - s[2]) < 0.5 || Math.abs(s[1] - s[3]) < 0.5);
    const closedRect =
      !sp.curves && axisAligned && (pts.length === 4 || pts.length === 5) && (sp.closed || filled);
    return {
      bbox: boxOf(pts),
      segments: sp.curves ? [] : segments,
      closedRect,
      hasCurves: sp.curves,
      stroked,
      filled,
      fill: filled ? fill : null,
      lineWidth,
    };
  });
}
