import {
  concatTransformationMatrix,
  drawObject,
  type PDFDocument,
  PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
} from "pdf-lib";
import { bilevel, ccittG4, type Gray } from "./scan-raster.js";

/** An image-only PDF page: the scan as the page's one XObject, drawn over the whole page. */

export type ScanImage =
  | { encoding: "jpeg"; data: Uint8Array; width: number; height: number; colour: "gray" | "rgb" }
  | { encoding: "1bit" | "ccitt"; gray: Gray; threshold: number };

export function addImagePage(out: PDFDocument, image: ScanImage, w: number, h: number): PDFPage {
  const [width, height] =
    image.encoding === "jpeg" ? [image.width, image.height] : [image.gray.width, image.gray.height];
  const colour = image.encoding === "jpeg" && image.colour === "rgb" ? "DeviceRGB" : "DeviceGray";
  const dict = { Type: "XObject", Subtype: "Image", Width: width, Height: height, ColorSpace: colour };
  const stream =
    image.encoding === "jpeg"
      ? out.context.stream(image.data, { ...dict, BitsPerComponent: 8, Filter: "DCTDecode" })
      : image.encoding === "ccitt"
        ? out.context.stream(ccittG4(image.gray, image.threshold), {
            ...dict,
            BitsPerComponent: 1,
            Filter: "CCITTFaxDecode",
            DecodeParms: { K: -1, Columns: width, Rows: height, BlackIs1: false },
          })
        : out.context.flateStream(bilevel(image.gray, image.threshold), { ...dict, BitsPerComponent: 1 });
  const ref = out.context.register(stream);
  const p = out.addPage([w, h]);
  p.node.setXObject(PDFName.of("Scan"), ref);
  p.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(w, 0, 0, h, 0, 0),
    drawObject("Scan"),
    popGraphicsState(),
  );
  return p;
}
