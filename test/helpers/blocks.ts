import type { Block } from "../../src/layout/model.js";
import { cellText } from "../../src/ocr/cells.js";

/** A block's text as the stage tests compare it: a line's text, or a row's cells' texts joined by spaces. */
export const blockText = (b: Block): string =>
  b.kind === "line" ? b.line.text : b.row.cells.map(cellText).join(" ");
