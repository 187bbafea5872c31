import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import type { BBox } from "../schema.js";
import { apply, interpretOperatorList, type Matrix, type PageGraphics } from "./interpret.js";
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

export async function readPdfPage(doc: PDFDocumentProxy, pageNumber: number): Promise<PdfPage> {
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const view = viewport.transform as Matrix;
    // Widget appearances are read from the annotations below, not painted into the page.
    const ops = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
    const graphics = interpretOperatorList(ops, view, (name) => {
      try {
        return page.commonObjs.get(name) as never;
      } catch {
        return undefined;
      }
    });
    const annotations = (await page.getAnnotations()) as WidgetAnnotation[];
    const widgets = annotations
      .filter(
        (a) => a.subtype === "Widget" && a.fieldType === "Btn" && (a.checkBox || a.radioButton) && a.rect,
      )
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
    return { page: pageNumber, width: viewport.width, height: viewport.height, graphics, widgets };
  } finally {
    page.cleanup();
  }
}
