import type { PDFDocumentProxy } from "../pdf/open.js";
import { type PdfPage, type PdfPageProxy, pageView } from "../pdf/page.js";
import { detectCheckMarks, type PageMarks } from "./checkmarks.js";
import { buildGrid, type Grid } from "./grid.js";
import type { Block } from "./model.js";
import { pageBlocks } from "./page-blocks.js";
import { detectRulings, type Rulings } from "./rulings.js";

/**
 * A text-layer page to blocks as an ordered list of stages over one page record, the shape scanned
 * pages are read in (src/ocr/scan-stages.ts): each stage fills the slot it is named after and reads
 * only the slots of the stages before it. Geometry: PDF points, origin top-left of the upright page.
 */

export interface TextRecord {
  readonly page: number;
  /** The pdf.js page (input): its operator list, fonts and annotations. The caller cleans it up. */
  readonly pdf: PdfPageProxy;
  /** `view`: glyphs, shapes, images and checkbox widgets, turned the way the page's text runs. */
  view?: PdfPage;
  /** `rulings`: the horizontal and vertical rules among the page's vector shapes. */
  rulings?: Rulings;
  /** `grid`: the table's cells the rulings outline; null when the page has no table. */
  grid?: Grid | null;
  /** `marks`: checkbox marks, and the glyphs drawn as boxes (not text). */
  marks?: PageMarks;
  /** `blocks`: the page's blocks in reading order. */
  blocks?: Block[];
}

/** The slots the stages fill, in the order they fill them. */
export type TextSlot = "view" | "rulings" | "grid" | "marks" | "blocks";

export interface TextStage {
  /** The slot this stage fills. */
  name: TextSlot;
  run(rec: TextRecord): void | Promise<void>;
}

/** A slot an earlier stage fills; missing means the list is out of order, a programming error. */
export function textSlot<K extends TextSlot>(rec: TextRecord, key: K): Exclude<TextRecord[K], undefined> {
  const value = rec[key];
  if (value === undefined) throw new Error(`text stage order: "${key}" is not filled yet`);
  return value as Exclude<TextRecord[K], undefined>;
}

export const TEXT_STAGES: readonly TextStage[] = [
  {
    name: "view",
    run: async (rec) => {
      rec.view = await pageView(rec.pdf, rec.page);
    },
  },
  {
    name: "rulings",
    run: (rec) => {
      rec.rulings = detectRulings(textSlot(rec, "view").graphics.shapes);
    },
  },
  {
    name: "grid",
    run: (rec) => {
      rec.grid = buildGrid(textSlot(rec, "rulings"));
    },
  },
  {
    name: "marks",
    run: (rec) => {
      rec.marks = detectCheckMarks(textSlot(rec, "view"));
    },
  },
  {
    name: "blocks",
    run: (rec) => {
      rec.blocks = pageBlocks(textSlot(rec, "view"), textSlot(rec, "grid"), textSlot(rec, "marks"));
    },
  },
];

/** A record for page `n` of `doc`: the pdf.js page, every slot empty. */
export async function textRecord(doc: PDFDocumentProxy, n: number): Promise<TextRecord> {
  return { page: n, pdf: await doc.getPage(n) };
}

/**
 * Runs the stages whose slots are still empty, in order, through the one filling `through`: a
 * page is first seen through its view (is it a scan?), and only a text page is read on.
 */
export async function runTextStages(rec: TextRecord, through: TextSlot = "blocks"): Promise<TextRecord> {
  for (const stage of TEXT_STAGES) {
    if (rec[stage.name] === undefined) await stage.run(rec);
    if (stage.name === through) break;
  }
  return rec;
}

/** Page `n`'s view alone (is it a scan?), its pdf.js page cleaned up after. */
export async function textView(doc: PDFDocumentProxy, n: number): Promise<PdfPage> {
  const rec = await textRecord(doc, n);
  try {
    return textSlot(await runTextStages(rec, "view"), "view");
  } finally {
    rec.pdf.cleanup();
  }
}
