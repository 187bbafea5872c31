import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import { type GrayImage, toGray } from "../ocr/image.js";
import { rotateQuarter } from "../ocr/transform.js";
import type { PageImage } from "./graphics.js";
import { readingView } from "./page.js";
import { renderToCanvas } from "./render.js";

/**
 * A page's pixels for OCR, in the reading frame the page model uses (top-left origin, /Rotate
 * applied). A page that is one image (a scan) gives that image's own pixels, turned by 90°
 * multiples but never resampled; anything else is rendered by pdf.js at `renderDpi`.
 */

interface DecodedImage {
  width: number;
  height: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/**
 * How a decoded image's bytes are packed: 8-bit gray, RGB, RGBA, or pdf.js's 1-bit ("bits").
 * The data's length decides: a JPEG holding one component under a DeviceRGB dictionary decodes
 * to gray bytes while pdf.js's `kind` still says RGB.
 */
function packingOf(obj: DecodedImage): "gray" | "bits" | 3 | 4 | undefined {
  const pixels = obj.width * obj.height;
  const length = obj.data?.length ?? 0;
  if (pixels <= 0) return undefined;
  if (length === pixels * 3) return 3;
  if (length === pixels * 4) return 4;
  if (length === Math.ceil(obj.width / 8) * obj.height) return "bits";
  return length === pixels ? "gray" : undefined;
}

type PdfPageProxy = Awaited<ReturnType<PDFDocumentProxy["getPage"]>>;

function objectOf(page: PdfPageProxy, id: string): Promise<DecodedImage | null> {
  return new Promise((resolve) => {
    try {
      // pdf.js resolves image objects while building the operator list; the callback form waits.
      page.objs.get(id, (obj: unknown) => resolve((obj as DecodedImage) ?? null));
    } catch {
      resolve(null);
    }
  });
}

/** The turn (clockwise) that shows an image's pixel grid the way it lands on the page, or null when skewed or mirrored. */
export function quarterTurnOf(image: PageImage): 0 | 90 | 180 | 270 | null {
  const [p0, p1, p2] = image.corners;
  const ux = Math.sign(Math.round(p1[0] - p0[0]));
  const uy = Math.sign(Math.round(p1[1] - p0[1]));
  const vx = Math.sign(Math.round(p2[0] - p0[0]));
  const vy = Math.sign(Math.round(p2[1] - p0[1]));
  if (ux === 1 && uy === 0 && vx === 0 && vy === 1) return 0;
  if (ux === 0 && uy === 1 && vx === -1 && vy === 0) return 90;
  if (ux === -1 && uy === 0 && vx === 0 && vy === -1) return 180;
  if (ux === 0 && uy === -1 && vx === 1 && vy === 0) return 270;
  return null;
}

/** The image covering the page, when a page is one image (its box within 2% of the page). */
function soleImage(images: readonly PageImage[], width: number, height: number): PageImage | null {
  const big = images.filter(
    (i) => (i.bbox[2] - i.bbox[0]) * (i.bbox[3] - i.bbox[1]) >= width * height * 0.25,
  );
  if (big.length !== 1) return null;
  const b = big[0]!.bbox;
  const slack = 0.02 * Math.max(width, height);
  const covers = b[0] <= slack && b[1] <= slack && b[2] >= width - slack && b[3] >= height - slack;
  return covers && big[0]!.id ? big[0]! : null;
}

export async function pageImage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  renderDpi = 300,
): Promise<{ image: GrayImage; embedded: boolean }> {
  const page = await doc.getPage(pageNumber);
  try {
    const { graphics, width, height, rotation } = await readingView(page);
    const sole = soleImage(graphics.images, width, height);
    const turn = sole ? quarterTurnOf(sole) : null;
    if (sole?.id && turn !== null) {
      const obj = await objectOf(page, sole.id);
      const packing = obj ? packingOf(obj) : undefined;
      if (obj?.data && packing) {
        const widthPt = turn === 90 || turn === 270 ? height : width;
        const dpi = (obj.width * 72) / widthPt;
        const gray =
          packing === "gray"
            ? { width: obj.width, height: obj.height, data: Uint8Array.from(obj.data), dpi }
            : toGray(obj.width, obj.height, obj.data, packing === "bits" ? 1 : packing, dpi);
        return { image: rotateQuarter(gray, turn), embedded: true };
      }
    }
    const canvas = await renderToCanvas(page, renderDpi / 72, rotation);
    const rgba = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    return { image: toGray(canvas.width, canvas.height, rgba, 4, renderDpi), embedded: false };
  } finally {
    page.cleanup();
  }
}
