import type { BBox } from "../schema.js";

/**
 * What a page's operator list draws (interpret.ts recovers it), and the matrix arithmetic of
 * PDF space. Every bbox here is in PDF points, origin top-left of the (rotated) page,
 * [x0, y0, x1, y1].
 */

export type Matrix = [number, number, number, number, number, number];

export interface Glyph {
  text: string;
  bbox: BBox;
  /** Font size in points after the text and graphics matrices. */
  size: number;
  /** The clip rectangle in force when the glyph was drawn, or null for the page. */
  clip: BBox | null;
  /** The glyph's centre lies outside its clip: printed invisibly, still in the text layer. */
  clipped: boolean;
  /** Text render mode 3/7: a scanner's invisible text layer. */
  invisible: boolean;
  /** Baseline direction on the page, clockwise degrees, to the nearest 90 (0 = left to right). */
  direction: 0 | 90 | 180 | 270;
  fontName: string;
}

export interface PathShape {
  bbox: BBox;
  /** Straight segments of the path, as [x0, y0, x1, y1] in page space. */
  segments: BBox[];
  closedRect: boolean;
  hasCurves: boolean;
  stroked: boolean;
  filled: boolean;
  /** Fill colour as `#rrggbb`, when filled. */
  fill: string | null;
  lineWidth: number;
}

/** A painted image: its box, and where its corners land (for taking a scan's pixels as they are). */
export interface PageImage {
  bbox: BBox;
  /** pdf.js object id of an image XObject (null for inline images and stencil masks). */
  id: string | null;
  /** Page points (top-left origin) of the image's first pixel row's left end, its right end, and
   * its last row's left end: the image's x axis runs p0 -> p1, its y axis p0 -> p2. */
  corners: [[number, number], [number, number], [number, number]];
}

export interface PageGraphics {
  glyphs: Glyph[];
  shapes: PathShape[];
  images: PageImage[];
}

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 then m2: the PDF convention `m1 × m2`. */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0] * m2[0] + m1[1] * m2[2],
    m1[0] * m2[1] + m1[1] * m2[3],
    m1[2] * m2[0] + m1[3] * m2[2],
    m1[2] * m2[1] + m1[3] * m2[3],
    m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
    m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
  ];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function boxOf(points: ReadonlyArray<[number, number]>): BBox {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

export function intersect(a: BBox | null, b: BBox): BBox {
  if (!a) return b;
  return [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
}
