import type { BBox } from "../schema.js";
import {
  apply,
  boxOf,
  type Glyph,
  IDENTITY,
  intersect,
  type Matrix,
  multiply,
  type PageGraphics,
} from "./graphics.js";
import { pdfjs } from "./open.js";
import { decodePath, shapesOf } from "./path-shapes.js";

/**
 * Replays a pdf.js operator list to recover what getTextContent cannot say: where each glyph is,
 * which clip path it was drawn under, and the vector graphics (rulings, small boxes, ticks).
 * Every bbox here is in PDF points, origin top-left of the (rotated) page, [x0, y0, x1, y1].
 */

const OPS = pdfjs.OPS;

interface FontInfo {
  name: string;
  matrix: Matrix;
  ascent: number;
  descent: number;
  vertical: boolean;
}

interface State {
  ctm: Matrix;
  clip: BBox | null;
  fill: string | null;
  lineWidth: number;
  font: FontInfo | null;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  renderMode: number;
}

interface FontObject {
  fontMatrix?: number[];
  ascent?: number;
  descent?: number;
  vertical?: boolean;
  name?: string;
}

/**
 * @param view the page's viewport transform at scale 1 (user space -> top-left page points).
 * @param getFont looks a font up by the name `setFont` carries (pdf.js `commonObjs`).
 */
export function interpretOperatorList(
  ops: { fnArray: number[]; argsArray: unknown[] },
  view: Matrix,
  getFont: (name: string) => FontObject | undefined,
): PageGraphics {
  const out: PageGraphics = { glyphs: [], shapes: [], images: [] };
  const fonts = new Map<string, FontInfo>();
  let st: State = {
    ctm: IDENTITY,
    clip: null,
    fill: "#000000",
    lineWidth: 1,
    font: null,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
    renderMode: 0,
  };
  const stack: State[] = [];
  let tm: Matrix = IDENTITY;
  let lineX = 0;
  let lineY = 0;
  let x = 0;
  let y = 0;
  let pendingClip = false;

  const toPage = (m: Matrix, px: number, py: number) => apply(view, ...apply(m, px, py));
  /** Td / TD / T*: move the line start, and the pen to it. */
  const moveLine = (dx: number, dy: number) => {
    x = lineX += dx;
    y = lineY += dy;
  };

  const fontInfo = (name: string): FontInfo => {
    let f = fonts.get(name);
    if (!f) {
      const obj = getFont(name);
      const fm = obj?.fontMatrix;
      f = {
        name: obj?.name ?? name,
        matrix: fm && fm.length === 6 && fm[0] !== 0 ? (fm as Matrix) : [0.001, 0, 0, 0.001, 0, 0],
        ascent: obj?.ascent && obj.ascent > 0 ? obj.ascent : 0.88,
        descent: obj?.descent && obj.descent < 0 ? obj.descent : -0.12,
        vertical: obj?.vertical ?? false,
      };
      fonts.set(name, f);
    }
    return f;
  };

  const showText = (glyphs: unknown[]) => {
    const font = st.font;
    if (!font || st.fontSize === 0) return;
    const size = st.fontSize;
    const advanceScale = size * font.matrix[0];
    const m = multiply(tm, st.ctm);
    // The baseline's direction on the page (y grows downwards, so clockwise angles are positive).
    const dx = view[0] * m[0] + view[2] * m[1];
    const dy = view[1] * m[0] + view[3] * m[1];
    const direction = ((((Math.round((Math.atan2(dy, dx) * 180) / Math.PI / 90) * 90) % 360) + 360) %
      360) as Glyph["direction"];
    let adv = 0;
    for (const g of glyphs) {
      if (typeof g === "number") {
        adv += (font.vertical ? 1 : -1) * ((g * size) / 1000);
        continue;
      }
      const glyph = g as { unicode?: string; width?: number; isSpace?: boolean } | null;
      if (!glyph) continue;
      const width = glyph.width ?? 0;
      const spacing = (glyph.isSpace ? st.wordSpacing : 0) + st.charSpacing;
      const charWidth = width * advanceScale + spacing;
      const gx = x + adv * st.hScale;
      const gy = y + st.rise;
      const w = width * advanceScale * st.hScale;
      const corners: Array<[number, number]> = [
        toPage(m, gx, gy + font.descent * size),
        toPage(m, gx + w, gy + font.descent * size),
        toPage(m, gx, gy + font.ascent * size),
        toPage(m, gx + w, gy + font.ascent * size),
      ];
      const bbox = boxOf(corners);
      const text = glyph.unicode ?? "";
      if (text !== "") {
        const clip = st.clip ? boxOf([toPageUser(st.clip, 0), toPageUser(st.clip, 1)]) : null;
        const cx = (bbox[0] + bbox[2]) / 2;
        const cy = (bbox[1] + bbox[3]) / 2;
        const clipped = clip !== null && (cx < clip[0] || cx > clip[2] || cy < clip[1] || cy > clip[3]);
        const scale = Math.hypot(m[2], m[3]);
        out.glyphs.push({
          text,
          bbox,
          size: size * scale,
          clip,
          clipped,
          invisible: st.renderMode === 3 || st.renderMode === 7,
          direction,
          fontName: font.name,
        });
      }
      adv += charWidth;
    }
    x += adv * st.hScale;
  };

  /** Clip boxes are kept in user space (after the CTM); corners map through the viewport. */
  const toPageUser = (b: BBox, corner: 0 | 1): [number, number] =>
    corner === 0 ? apply(view, b[0], b[1]) : apply(view, b[2], b[3]);

  const constructPath = (args: unknown[]) => {
    const paintOp = args[0] as number;
    const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
    if (!data) return;
    const { subpaths, userPoints } = decodePath(data, st.ctm);
    if (pendingClip) {
      st.clip = intersect(st.clip, boxOf(userPoints));
      pendingClip = false;
    }
    if (paintOp === OPS.endPath) return;
    const lineWidth = st.lineWidth * Math.hypot(st.ctm[0], st.ctm[1]);
    out.shapes.push(...shapesOf(subpaths, view, paintOp, st.fill, lineWidth));
  };

  const { fnArray, argsArray } = ops;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    switch (fn) {
      case OPS.save:
        stack.push({ ...st });
        break;
      case OPS.restore:
        st = stack.pop() ?? st;
        break;
      case OPS.transform:
        st.ctm = multiply(args as Matrix, st.ctm);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push({ ...st });
        const matrix = args[0] as Matrix | null;
        if (matrix) st.ctm = multiply(matrix, st.ctm);
        const bbox = args[1] as number[] | null;
        if (bbox && bbox.length === 4) {
          const pts = [apply(st.ctm, bbox[0]!, bbox[1]!), apply(st.ctm, bbox[2]!, bbox[3]!)];
          st.clip = intersect(st.clip, boxOf(pts));
        }
        break;
      }
      case OPS.paintFormXObjectEnd:
        st = stack.pop() ?? st;
        break;
      case OPS.clip:
      case OPS.eoClip:
        pendingClip = true;
        break;
      case OPS.constructPath:
        constructPath(args);
        break;
      case OPS.setLineWidth:
        st.lineWidth = args[0] as number;
        break;
      case OPS.setFillRGBColor:
        st.fill = typeof args[0] === "string" ? (args[0] as string) : null;
        break;
      case OPS.beginText:
        tm = IDENTITY;
        x = y = lineX = lineY = 0;
        break;
      case OPS.setFont:
        st.font = fontInfo(args[0] as string);
        st.fontSize = Math.abs(args[1] as number);
        break;
      case OPS.setTextMatrix: {
        const m = (Array.isArray(args[0]) || ArrayBuffer.isView(args[0]) ? args[0] : args) as Matrix;
        tm = [m[0], m[1], m[2], m[3], m[4], m[5]];
        x = y = lineX = lineY = 0;
        break;
      }
      case OPS.moveText:
        moveLine(args[0] as number, args[1] as number);
        break;
      case OPS.setLeadingMoveText:
        st.leading = args[1] as number;
        moveLine(args[0] as number, args[1] as number);
        break;
      case OPS.setLeading:
        st.leading = -(args[0] as number);
        break;
      case OPS.nextLine:
        moveLine(0, st.leading);
        break;
      case OPS.setCharSpacing:
        st.charSpacing = args[0] as number;
        break;
      case OPS.setWordSpacing:
        st.wordSpacing = args[0] as number;
        break;
      case OPS.setHScale:
        st.hScale = (args[0] as number) / 100;
        break;
      case OPS.setTextRise:
        st.rise = args[0] as number;
        break;
      case OPS.setTextRenderingMode:
        st.renderMode = args[0] as number;
        break;
      case OPS.showText:
      case OPS.showSpacedText:
        showText(args[0] as unknown[]);
        break;
      case OPS.nextLineShowText:
        moveLine(0, st.leading);
        showText(args[0] as unknown[]);
        break;
      case OPS.nextLineSetSpacingShowText:
        st.wordSpacing = args[0] as number;
        st.charSpacing = args[1] as number;
        moveLine(0, st.leading);
        showText(args[2] as unknown[]);
        break;
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageMaskXObject: {
        const pts = [apply(st.ctm, 0, 0), apply(st.ctm, 1, 0), apply(st.ctm, 0, 1), apply(st.ctm, 1, 1)].map(
          ([px, py]) => apply(view, px, py),
        );
        // Image space: unit square, first pixel row at y = 1.
        const [p0, p1, p2] = [apply(st.ctm, 0, 1), apply(st.ctm, 1, 1), apply(st.ctm, 0, 0)].map(([px, py]) =>
          apply(view, px, py),
        ) as [[number, number], [number, number], [number, number]];
        const id = fn === OPS.paintImageXObject && typeof args[0] === "string" ? args[0] : null;
        out.images.push({ bbox: boxOf(pts), id, corners: [p0, p1, p2] });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
