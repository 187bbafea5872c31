import type { Grid } from "../layout/grid.js";
import type { PlacedBlock } from "../layout/page-blocks.js";
import type { BBox } from "../schema.js";
import { countInk, inkBands, type PixelBox } from "./image.js";
import { snapFreeLine } from "./known-text.js";
import { linesConfidence, type PageReader, toPt, toPx } from "./page-reader.js";
import { lineText, normalizeOcrText } from "./text.js";

/** Body text height, points: larger type (the title) is scaled down to it before OCR. */
const BODY_PT = 11;

/**
 * The lines printed outside the table, above it (title, year, applicant) and below it (footers),
 * read band by band as free lines. Boxes: PDF points, origin top-left of the upright page.
 */
export async function readFreeLines(reader: PageReader, grid: Grid | null): Promise<PlacedBlock[]> {
  const { dpi, ink, clean, page } = reader;
  const top = grid ? Math.round(toPx(grid.extent[1] - 1, dpi)) : clean.height;
  const bottom = grid ? Math.round(toPx(grid.extent[3] + 1, dpi)) : clean.height;
  const regions: PixelBox[] = [
    [0, 0, clean.width, Math.max(0, top)],
    [0, bottom, clean.width, clean.height],
  ];
  const bodyPx = toPx(BODY_PT, dpi);
  const placed: PlacedBlock[] = [];
  for (const region of regions) {
    if (region[3] - region[1] < toPx(8, dpi)) continue;
    const bands = inkBands(ink, region, Math.max(2, Math.round(toPx(0.6, dpi)))).filter(
      (b) => b[3] - b[1] >= toPx(4, dpi) && countInk(ink, b) >= toPx(3, dpi) ** 2,
    );
    const read = (b: PixelBox) => reader.read(b, "line", "", Math.max(1, (b[3] - b[1]) / bodyPx));
    for (const line of (await Promise.all(bands.map(read))).flat()) {
      const text = snapFreeLine(normalizeOcrText(lineText(line)));
      if (text.trim() === "") continue;
      const bbox = line.bbox.map((v) => toPt(v, dpi)) as BBox;
      placed.push({
        top: bbox[1],
        block: {
          kind: "line",
          line: { text, page, bbox, source: "ocr", confidence: linesConfidence([line]) },
        },
      });
    }
  }
  return placed;
}
