import type { Grid } from "../layout/grid.js";
import type { PlacedBlock } from "../layout/page-blocks.js";
import type { BBox } from "../schema.js";
import { AGREEING_CONFIDENCE, comparable, DISAGREEING_CONFIDENCE } from "./confirm.js";
import type { OcrLine } from "./engine.js";
import { countInk, inkBands, type PixelBox } from "./image.js";
import { snapFreeLine } from "./known-text.js";
import { linesConfidence, type PageReader, toPt, toPx } from "./page-reader.js";
import { KNOWN } from "./template-text.js";
import { lineText, normalizeOcrText } from "./text.js";

/** How far beyond the table's sides free lines are looked for, points. */
const MARGIN_PT = 20;
/** A band more inked than this share is a border or a bar, not a line of text. */
const SOLID_SHARE = 0.5;
/** Body text height, points: larger type (the title) is scaled down to it before OCR. */
const BODY_PT = 11;

/** Lines above the table that hold values: the applicant's, and the year's `(2018年)`. */
const FIELD_LINE = new RegExp(`${KNOWN.lineLabels.map((l) => `^${l}：|`).join("")}\\d{4}\\s*年`, "u");

/** A table narrower than this share of the page is a part of it: a fax's or a photocopy's broken rules kept only the label column. */
const PARTIAL_TABLE_SHARE = 0.5;

/** True when the grid found spans too little of the page's width to be this family's table. Units: PDF points. */
export function isPartialTable(grid: Grid | null, pageWidthPt: number): boolean {
  return grid !== null && grid.extent[2] - grid.extent[0] < PARTIAL_TABLE_SHARE * pageWidthPt;
}

/**
 * The lines printed outside the table, above it (title, year, applicant) and below it (footers),
 * read band by band as free lines. Boxes: PDF points, origin top-left of the upright page.
 */
export async function readFreeLines(reader: PageReader, grid: Grid | null): Promise<PlacedBlock[]> {
  const { dpi, ink, clean, page } = reader;
  const top = grid ? Math.round(toPx(grid.extent[1] - 1, dpi)) : clean.height;
  const bottom = grid ? Math.round(toPx(grid.extent[3] + 1, dpi)) : clean.height;
  // Across the table's width (and a little more): a scanner's dark edge beside it is not a line.
  // Only part of a table found (its label column) says nothing of the title's width: the page's.
  const across = grid && !isPartialTable(grid, toPt(clean.width, dpi)) ? grid : null;
  const left = across ? Math.max(0, Math.round(toPx(across.extent[0] - MARGIN_PT, dpi))) : 0;
  const right = across
    ? Math.min(clean.width, Math.round(toPx(across.extent[2] + MARGIN_PT, dpi)))
    : clean.width;
  const regions: PixelBox[] = [
    [left, 0, right, Math.max(0, top)],
    [left, bottom, right, clean.height],
  ];
  const bodyPx = toPx(BODY_PT, dpi);
  const placed: PlacedBlock[] = [];
  for (const region of regions) {
    if (region[3] - region[1] < toPx(8, dpi)) continue;
    // Bands of ink as tall as a line, not solid (a dark border or a filled bar is not text).
    const bands = inkBands(ink, region, Math.max(2, Math.round(toPx(0.6, dpi)))).filter((b) => {
      const inked = countInk(ink, b);
      return (
        b[3] - b[1] >= toPx(4, dpi) &&
        inked >= toPx(3, dpi) ** 2 &&
        inked < SOLID_SHARE * (b[2] - b[0]) * (b[3] - b[1])
      );
    });
    const tesseract = (b: PixelBox) => reader.read(b, "line", "", Math.max(1, (b[3] - b[1]) / bodyPx));
    const read = (b: PixelBox) => (reader.primary === "paddle" ? reader.readLines(b) : tesseract(b));
    const textOf = (line: OcrLine) => snapFreeLine(normalizeOcrText(lineText(line)));
    for (const band of bands) {
      for (const line of await read(band)) {
        const text = textOf(line);
        if (text.trim() === "") continue;
        let confidence = linesConfidence([line]);
        // The applicant and the year are values: a second engine reads them again.
        if (reader.primary === "paddle" && FIELD_LINE.test(text)) {
          const again = (await tesseract(line.bbox)).map(textOf).join("");
          confidence =
            comparable(again) === comparable(text)
              ? Math.max(AGREEING_CONFIDENCE, confidence)
              : Math.min(DISAGREEING_CONFIDENCE, confidence);
        }
        const bbox = line.bbox.map((v) => toPt(v, dpi)) as BBox;
        placed.push({
          top: bbox[1],
          block: { kind: "line", line: { text, page, bbox, source: "ocr", confidence } },
        });
      }
    }
  }
  return placed;
}
