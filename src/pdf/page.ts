import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import type { BBox } from "../schema.js";
import { apply, type Matrix, type PageGraphics } from "./graphics.js";
import { interpretOperatorList } from "./interpret.js";
import { pdfjs } from "./open.js";

/** One PDF page as formex sees it. Geometry: PDF points, origin top-left of the rotated page. */
export interface PdfPage {
  /** 1-based page number. */
  page: number;
  width: number;
  height: number;
  graphics: PageGraphics;
  /** AcroForm checkbox widgets: where they are and whether they are on. */
  widgets: Array<{ bbox: BBox; checked: boolean }>;
}

interface WidgetAnnotation {
  subtype?: string;
  fieldType?: string;
  checkBox?: boolean;
  radioButton?: boolean;
  fieldValue?: unknown;
  exportValue?: unknown;
  buttonValue?: unknown;
  rect?: number[];
}

/** The baseline direction most glyphs share (0 when most run left to right, or there is no text). */
export function dominantDirection(directions: ReadonlyArray<0 | 90 | 180 | 270>): 0 | 90 | 180 | 270 {
  const votes = new Map<0 | 90 | 180 | 270, number>();
  for (const d of directions) votes.set(d, (votes.get(d) ?? 0) + 1);
  let best: 0 | 90 | 180 | 270 = 0;
  for (const [d, n] of votes) if (n > (votes.get(best) ?? 0)) best = d;
  return best;
}

export type PdfPageProxy = Awaited<ReturnType<PDFDocumentProxy["getPage"]>>;

/**
 * The page's graphics seen the way its text runs, whatever /Rotate and the content's own
 * rotation say, and the viewport rotation that gives (the review page renders with it too).
 */
export async function readingView(
  page: PdfPageProxy,
): Promise<{ rotation: number; graphics: PageGraphics; view: Matrix; width: number; height: number }> {
  // Widget appearances are read from the annotations, not painted into the page.
  const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
  const fonts = (name: string) => {
    try {
      return page.commonObjs.get(name) as never;
    } catch {
      return undefined;
    }
  };
  let rotation = page.rotate;
  let viewport = page.getViewport({ scale: 1 });
  let graphics = interpretOperatorList(ops, viewport.transform as Matrix, fonts);
  const turn = dominantDirection(graphics.glyphs.map((g) => g.direction));
  if (turn !== 0) {
    rotation = (page.rotate - turn + 360) % 360;
    viewport = page.getViewport({ scale: 1, rotation });
    graphics = interpretOperatorList(ops, viewport.transform as Matrix, fonts);
  }
  return {
    rotation,
    graphics,
    view: viewport.transform as Matrix,
    width: viewport.width,
    height: viewport.height,
  };
}

/**
 * A scan: images cover at least half the page and it has next to no text (a form page prints
 * hundreds of characters). Such a page needs OCR; the text layer has nothing to read.
 */
export function isScannedPage(page: PdfPage): boolean {
  const area = page.width * page.height;
  const imageArea = page.graphics.images.reduce(
    (sum, { bbox: b }) => sum + Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]),
    0,
  );
  const visibleText = page.graphics.glyphs.filter((g) => !g.invisible && g.text.trim() !== "").length;
  return area > 0 && imageArea >= area * 0.5 && visibleText < 20;
}

/** Characters a real text layer of this form is made of: CJK, ASCII, their punctuation. */
const READABLE =
  /[\u2E80-\u2FDF\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u0020-\u007E\u2010-\u2027\u00B7]/u;

/**
 * The text layer cannot be used: a scan (see isScannedPage), or a layer of glyphs whose text is
 * mostly not characters at all (fonts without a usable ToUnicode: private-use or control codes).
 * Such a page is read by OCR.
 */
export function needsOcr(page: PdfPage): boolean {
  if (isScannedPage(page)) return true;
  const visible = page.graphics.glyphs.filter((g) => !g.invisible && g.text.trim() !== "");
  if (visible.length < 20) return false;
  const readable = visible.filter((g) => [...g.text].every((ch) => READABLE.test(ch))).length;
  return readable < visible.length * 0.5;
}

/**
 * The page as formex sees it: its reading view (see readingView) and its AcroForm checkbox widgets
 * in that view. The caller owns the pdf.js page and cleans it up.
 */
export async function pageView(page: PdfPageProxy, pageNumber: number): Promise<PdfPage> {
  const { graphics, view, width, height } = await readingView(page);
  const annotations = (await page.getAnnotations()) as WidgetAnnotation[];
  const widgets = annotations
    .filter((a) => a.subtype === "Widget" && a.fieldType === "Btn" && (a.checkBox || a.radioButton) && a.rect)
    .map((a) => {
      const r = a.rect!;
      const p0 = apply(view, r[0]!, r[1]!);
      const p1 = apply(view, r[2]!, r[3]!);
      const value = a.checkBox ? a.fieldValue : a.fieldValue === a.buttonValue ? a.buttonValue : "Off";
      const checked = value !== undefined && value !== null && value !== "Off" && value !== "";
      const bbox: BBox = [
        Math.min(p0[0], p1[0]),
        Math.min(p0[1], p1[1]),
        Math.max(p0[0], p1[0]),
        Math.max(p0[1], p1[1]),
      ];
      return { bbox, checked };
    });
  return { page: pageNumber, width, height, graphics, widgets };
}
