import type { Block, Cell } from "../layout/model.js";
import { type PlacedBlock, rowBlocks } from "../layout/page-blocks.js";
import { type CellJob, cellJobs, cellOf, cellText, textCell } from "./cells.js";
import { readCheckboxCell } from "./checkbox-cell.js";
import { isPartialTable, readFreeLines } from "./free-lines.js";
import type { GrayImage } from "./image.js";
import { CELL_LABELS } from "./known-text.js";
import type { PageFrame } from "./page-frame.js";
import { createPageReader, type OcrEngines, type PageReader, toPt } from "./page-reader.js";
import { inDoubt, readLabel, readValueCell } from "./read-cells.js";
import { KNOWN, type RowKind } from "./template-text.js";
import { type LevelPage, levelPage, orientTable, type UprightPage } from "./upright.js";

/**
 * A scanned page to the same blocks the text layer gives, as an ordered list of stages over one
 * page record (Docling's shape): each stage is a function that fills its own slot and reads only
 * the slots of the stages before it. Geometry: PDF points, origin top-left of the upright page.
 */

export interface ScanRecord {
  readonly page: number;
  /** The scan as decoded (input). */
  readonly image: GrayImage;
  /** `level`: even light, a photo's perspective undone, a landscape scan turned, deskewed. */
  level?: LevelPage;
  /** `table`: rulings and grid, the page turned half when upside down; its `frame` is final. */
  upright?: UprightPage;
  /** `cells`: the grid's cells as pixel boxes, and the reader that reads them. */
  cells?: { reader: PageReader; jobs: CellJob[] };
  /** `labels`: the label column's cells, snapped to the template, and each row's label by its top. */
  labels?: { cells: Map<CellJob, Cell>; byTop: Map<number, string> };
  /** `marks`: checkbox groups read from pixels. */
  marks?: Map<CellJob, Cell>;
  /** `values`: every other cell, read as its row's label says. */
  values?: Map<CellJob, Cell>;
  /** `freeLines`: the lines above and below the table. */
  freeLines?: PlacedBlock[];
  /** `blocks`: the page's blocks in reading order. */
  blocks?: Block[];
}

export interface ScanStage {
  name: string;
  run(rec: ScanRecord): void | Promise<void>;
}

/** A slot an earlier stage fills; missing means the list is out of order, a programming error. */
function slot<K extends keyof ScanRecord>(rec: ScanRecord, key: K): NonNullable<ScanRecord[K]> {
  const value = rec[key];
  if (value === undefined) throw new Error(`scan stage order: "${String(key)}" is not filled yet`);
  return value as NonNullable<ScanRecord[K]>;
}

/** The template's kind for a cell's row, by the label whose row top it shares. */
function kindOfRow(rec: ScanRecord, j: CellJob): RowKind | undefined {
  for (const [top, label] of slot(rec, "labels").byTop)
    if (Math.abs(top - j.bbox[1]) < 2) return KNOWN.rowKinds.get(label);
  return undefined;
}

/** Past its boxes a row may print another label and value (mof's 项目期 in the 项目属性 row). */
function isCheckboxGroup(rec: ScanRecord, j: CellJob): boolean {
  if (kindOfRow(rec, j)?.kind !== "checkbox") return false;
  const { jobs } = slot(rec, "cells");
  return !jobs.some((o) => !o.inLabelColumn && Math.abs(o.bbox[1] - j.bbox[1]) < 2 && o.bbox[0] < j.bbox[0]);
}

const unread = (rec: ScanRecord) => slot(rec, "cells").jobs.filter((j) => !slot(rec, "labels").cells.has(j));

export function scanStages(engines: OcrEngines, signal?: AbortSignal): readonly ScanStage[] {
  return [
    {
      name: "level",
      run: (rec) => {
        rec.level = levelPage(rec.image);
      },
    },
    {
      name: "table",
      run: (rec) => {
        rec.upright = orientTable(slot(rec, "level"));
      },
    },
    {
      name: "cells",
      run: (rec) => {
        const reader = createPageReader(slot(rec, "upright"), rec.page, engines, signal);
        rec.cells = { reader, jobs: cellJobs(slot(rec, "upright").grid, reader) };
      },
    },
    {
      name: "labels",
      run: async (rec) => {
        const { reader, jobs } = slot(rec, "cells");
        const labelJobs = jobs.filter((j) => j.inLabelColumn && !j.empty);
        const lines = await Promise.all(labelJobs.map((j) => readLabel(reader, j.px)));
        const cells = new Map<CellJob, Cell>();
        const byTop = new Map<number, string>();
        labelJobs.forEach((j, i) => {
          const cell = textCell(reader, j, lines[i]!, CELL_LABELS);
          cells.set(j, cell);
          byTop.set(j.bbox[1], cellText(cell));
        });
        rec.labels = { cells, byTop };
      },
    },
    {
      name: "marks",
      run: async (rec) => {
        const { reader } = slot(rec, "cells");
        const groups = unread(rec).filter((j) => !j.empty && isCheckboxGroup(rec, j));
        const read = await Promise.all(
          groups.map((j) => {
            const kind = kindOfRow(rec, j);
            return readCheckboxCell(reader, j, kind?.kind === "checkbox" ? kind.options : []);
          }),
        );
        rec.marks = new Map(groups.map((j, i) => [j, read[i]!]));
      },
    },
    {
      name: "values",
      run: async (rec) => {
        const { reader } = slot(rec, "cells");
        const marks = slot(rec, "marks");
        const jobs = unread(rec).filter((j) => !marks.has(j));
        const read = await Promise.all(
          jobs.map((j) => {
            if (j.empty) return cellOf(reader, j, [], 1);
            const kind = kindOfRow(rec, j);
            // A checkbox row's cells past its group hold text (mof's 项目期 and its value).
            return readValueCell(reader, j, kind?.kind === "checkbox" ? { kind: "text" } : kind);
          }),
        );
        rec.values = new Map(jobs.map((j, i) => [j, read[i]!]));
      },
    },
    {
      name: "freeLines",
      run: async (rec) => {
        rec.freeLines = await readFreeLines(slot(rec, "cells").reader, slot(rec, "upright").grid);
      },
    },
    {
      name: "blocks",
      run: (rec) => {
        const { jobs } = slot(rec, "cells");
        const labels = slot(rec, "labels").cells;
        const read = (j: CellJob) =>
          labels.get(j) ?? slot(rec, "marks").get(j) ?? slot(rec, "values").get(j)!;
        const labelJobs = [...labels.keys()];
        const placed = [
          ...rowBlocks(
            jobs.map((j) => inDoubt(j, read(j), labelJobs)),
            rec.page,
          ),
          ...slot(rec, "freeLines"),
        ];
        rec.blocks = placed.sort((a, b) => a.top - b.top).map((b) => b.block);
      },
    },
  ];
}

export interface OcrPageResult {
  blocks: Block[];
  /** How the page was made upright and level: kept so its review image is drawn without measuring again. */
  frame: PageFrame;
  /** No table was found: only lines outside one were read (every page of this family has one). */
  tableless: boolean;
  /** A table was found over only part of the page's width: what its broken rules enclose was read, not the rest. */
  partialTable: boolean;
}

/** Runs the scan stages in order over one page record. */
export async function ocrPage(
  image: GrayImage,
  page: number,
  engines: OcrEngines,
  signal?: AbortSignal,
): Promise<OcrPageResult> {
  const rec: ScanRecord = { page, image };
  for (const stage of scanStages(engines, signal)) await stage.run(rec);
  const upright = slot(rec, "upright");
  const widthPt = toPt(upright.gray.width, upright.gray.dpi);
  return {
    blocks: slot(rec, "blocks"),
    frame: upright.frame,
    tableless: upright.grid === null,
    partialTable: isPartialTable(upright.grid, widthPt),
  };
}
