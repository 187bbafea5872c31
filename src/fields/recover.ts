import { type Flag, makeFlag } from "../flags.js";
import { type Block, type Cell, cellIsEmpty, type LineItem, type Row } from "../layout/model.js";
import type { BBox, Provenance } from "../schema.js";
import {
  APPLICANT_LABEL,
  type CheckboxFieldKey,
  FORM_TITLE,
  INDICATOR_HEADER_CELLS,
  type IndicatorCategory,
  LABELS,
  type LabelKind,
  SUBPROJECT_HEADER_CELLS,
  type TextFieldKey,
} from "../templates/derive-2018.js";
import { cleanFreeText, joinLines, labelKey, normalizeCompatIdeographs } from "../text/normalize.js";
import { parseYear } from "../values/date.js";

/**
 * Field recovery: walks one form's blocks (rows and free lines, across pages) and fills the form's
 * raw values with provenance. Sources differ only in how they built the rows.
 */

/** A value as read from one or more cells, before normalization. */
export interface RawValue {
  lines: string[];
  hiddenLines: string[];
  cells: Cell[];
}

export interface RawSubProject {
  name: RawValue;
  amount: RawValue;
}
export interface RawIndicator {
  category: IndicatorCategory | null;
  name: RawValue;
  target: RawValue;
}

export interface RawForm {
  year: RawValue | null;
  applicant: RawValue | null;
  text: Partial<Record<TextFieldKey, RawValue>>;
  money: Partial<
    Record<"totalBudget" | "currentYearBudget" | "priorYearBudget" | "priorYearExecuted", RawValue>
  >;
  dates: Partial<Record<"startDate" | "endDate", RawValue>>;
  checkboxes: Partial<Record<CheckboxFieldKey, { items: LineItem[]; cells: Cell[] }>>;
  subProjects: RawSubProject[];
  indicators: RawIndicator[];
  flags: Flag[];
  pages: number[];
}

const LABEL_INDEX = new Map(LABELS.map((l) => [labelKey(l.label), l.def]));
const SUBPROJECT_HEADER_KEYS = new Set(SUBPROJECT_HEADER_CELLS.map(labelKey));
const INDICATOR_HEADER_KEYS = new Set(INDICATOR_HEADER_CELLS.map(labelKey));
const TITLE_KEY = labelKey(FORM_TITLE);

export function cellLines(cell: Cell): string[] {
  return cell.lines.map((line) => line.map((it) => (it.kind === "text" ? it.text : "")).join(""));
}

function keyOfCell(cell: Cell): string {
  return labelKey(cleanFreeText(cellLines(cell).join("")));
}

/** Shortest start of a label (characters) that may stand for it when a page break cut it. */
const MIN_LABEL_START = 4;

/**
 * The template label a label cell's text is the start of, and what of it is missing: a row split
 * by a page break prints `同名项目上年预算` on one page and `额（元）` on the next. Only a start
 * that fits one label alone counts.
 */
function labelStart(
  key: string,
  taken: ReadonlySet<LabelKind> = new Set(),
): { def: LabelKind; rest: string } | null {
  if ([...key].length < MIN_LABEL_START) return null;
  const fits = [...LABEL_INDEX.entries()].filter(
    ([k, d]) => k.startsWith(key) && k !== key && !taken.has(d) && [...key].length * 2 >= [...k].length,
  );
  if (new Set(fits.map(([, d]) => d)).size !== 1) return null;
  return { def: fits[0]![1], rest: fits[0]![0].slice(key.length) };
}

export function matchLabel(cell: Cell): LabelKind | null {
  const key = keyOfCell(cell);
  return LABEL_INDEX.get(key) ?? labelStart(key)?.def ?? null;
}

/**
 * The labels of a row's cells: exact ones, then starts of labels, a start that fits two labels
 * (同名项目上年预算…) decided by the label the row's other cell already is (a row holds two).
 */
function rowLabels(cells: readonly Cell[]): Array<{ def: LabelKind | null; rest: string | null }> {
  const keys = cells.map(keyOfCell);
  const out = keys.map((k) => {
    const exact = LABEL_INDEX.get(k);
    if (exact) return { def: exact, rest: null };
    const start = labelStart(k);
    return start ? { def: start.def, rest: start.rest } : { def: null, rest: null };
  });
  const taken = new Set(out.flatMap((o) => (o.def ? [o.def] : [])));
  keys.forEach((k, i) => {
    if (out[i]!.def) return;
    const start = labelStart(k, taken);
    if (start) out[i] = { def: start.def, rest: start.rest };
  });
  return out;
}

/** `项目名称：学会改革和发展` in one cell: the label and its value share the cell. */
function splitInlineLabel(cell: Cell): { def: LabelKind; rest: Cell } | null {
  const text = cellLines(cell).join("");
  const m = /^([^:：]{2,16})[:：]\s*(.+)$/su.exec(text);
  if (!m) return null;
  const def = LABEL_INDEX.get(labelKey(m[1] ?? ""));
  if (!def) return null;
  return { def, rest: { ...cell, lines: [[{ kind: "text", text: m[2] ?? "" }]] } };
}

export function isTitle(text: string): boolean {
  return labelKey(text).includes(TITLE_KEY);
}

function emptyRaw(): RawValue {
  return { lines: [], hiddenLines: [], cells: [] };
}

function appendCell(target: RawValue, cell: Cell): void {
  target.lines.push(...cellLines(cell));
  target.hiddenLines.push(...cell.hiddenLines);
  target.cells.push(cell);
}

export function rawText(value: RawValue | null | undefined): string {
  return value ? cleanFreeText(joinLines(value.lines)) : "";
}

export function bboxOf(cells: readonly Cell[]): { page: number | null; bbox: BBox | null } {
  const first = cells.find((c) => c.bbox);
  if (!first?.bbox) return { page: cells[0]?.page ?? null, bbox: null };
  const same = cells.filter((c) => c.page === first.page && c.bbox);
  const b = same.reduce<BBox>(
    (acc, c) => [
      Math.min(acc[0], c.bbox![0]),
      Math.min(acc[1], c.bbox![1]),
      Math.max(acc[2], c.bbox![2]),
      Math.max(acc[3], c.bbox![3]),
    ],
    [...first.bbox] as BBox,
  );
  return { page: first.page, bbox: b.map((v) => Math.round(v * 10) / 10) as BBox };
}

export function provenanceOf(cells: readonly Cell[]): Provenance | null {
  if (cells.length === 0) return null;
  const { page, bbox } = bboxOf(cells);
  const source = cells[0]!.source;
  const confidence = Math.min(...cells.map((c) => c.confidence));
  return { page, bbox, source, confidence };
}

type Mode =
  | { kind: "main" }
  | { kind: "checkbox"; field: CheckboxFieldKey }
  | { kind: "subProjects" }
  | { kind: "indicators"; category: IndicatorCategory | null };

export function recoverForm(blocks: readonly Block[]): RawForm {
  const raw: RawForm = {
    year: null,
    applicant: null,
    text: {},
    money: {},
    dates: {},
    checkboxes: {},
    subProjects: [],
    indicators: [],
    flags: [],
    pages: [],
  };
  let mode: Mode = { kind: "main" };
  /**
   * Index of the first indicator of a group whose spanning category cell printed empty mid-page:
   * its label, if any, prints on the next page's fragment (the seed's layout).
   */
  let pendingCategoryFrom: number | null = null;
  let rowStartsPage = false;
  /** The value the last label opened: a value-only row continues it (a cell split by a page break). */
  let open: RawValue | null = null;
  /** Ends of labels a page break cut (their starts matched): the next page's first row prints them. */
  let labelEnds = new Set<string>();

  const notePage = (page: number | null) => {
    if (page !== null && !raw.pages.includes(page)) raw.pages.push(page);
  };

  const valueFor = (def: LabelKind): RawValue | null => {
    switch (def.kind) {
      case "text":
        raw.text[def.field] ??= emptyRaw();
        return raw.text[def.field]!;
      case "money":
        raw.money[def.field] ??= emptyRaw();
        return raw.money[def.field]!;
      case "date":
        raw.dates[def.field] ??= emptyRaw();
        return raw.dates[def.field]!;
      case "applicant":
        raw.applicant ??= emptyRaw();
        return raw.applicant;
      default:
        return null;
    }
  };

  const addSubProject = (cells: Cell[]) => {
    const filled = cells.filter((c) => !cellIsEmpty(c));
    if (filled.length === 0) return;
    if (filled.every((c) => SUBPROJECT_HEADER_KEYS.has(keyOfCell(c)))) return;
    const name = emptyRaw();
    const amount = emptyRaw();
    const last = filled.at(-1)!;
    const moneyLike = /^[\d,，.\s]+(万|元)?$/u.test(cleanFreeText(cellLines(last).join("")));
    if (filled.length === 1 && moneyLike) appendCell(amount, last);
    else if (filled.length === 1) appendCell(name, last);
    else {
      for (const c of filled.slice(0, -1)) appendCell(name, c);
      appendCell(amount, last);
    }
    raw.subProjects.push({ name, amount });
  };

  const addIndicator = (cells: Cell[], category: IndicatorCategory | null) => {
    const filled = cells.filter((c) => !cellIsEmpty(c));
    if (filled.length === 0) return;
    if (filled.every((c) => INDICATOR_HEADER_KEYS.has(keyOfCell(c)))) return;
    const name = emptyRaw();
    const target = emptyRaw();
    appendCell(name, filled[0]!);
    for (const c of filled.slice(1)) appendCell(target, c);
    raw.indicators.push({ category, name, target });
    open = null;
  };

  const continueOpen = (cells: Cell[]): boolean => {
    if (mode.kind === "checkbox") {
      const group = raw.checkboxes[mode.field]!;
      for (const c of cells.filter((x) => !cellIsEmpty(x))) {
        group.items.push(...c.lines.flat());
        group.cells.push(c);
      }
      return true;
    }
    if (mode.kind === "subProjects") {
      addSubProject(cells);
      return true;
    }
    if (mode.kind === "indicators") {
      // A continued target cell (split by a page break) has an empty name column.
      const filled = cells.filter((c) => !cellIsEmpty(c));
      const lastIndicator = raw.indicators.at(-1);
      if (filled.length === 1 && lastIndicator && cells.length > 1 && cellIsEmpty(cells[cells.length - 2]!)) {
        appendCell(lastIndicator.target, filled[0]!);
        return true;
      }
      addIndicator(cells, mode.category);
      return true;
    }
    if (open) {
      for (const c of cells.filter((x) => !cellIsEmpty(x))) appendCell(open, c);
      return true;
    }
    return false;
  };

  const readRow = (row: Row) => {
    notePage(row.page);
    rowStartsPage = row.startsPage;
    const labelCell = row.cells.find((c) => c.inLabelColumn);
    // A PDF row that starts a new (empty) spanning label cell, not one covered by a span above.
    if (mode.kind === "indicators" && labelCell?.bbox && cellIsEmpty(labelCell) && row.cells.length > 1) {
      if (!row.startsPage) {
        pendingCategoryFrom = raw.indicators.length;
        mode = { kind: "indicators", category: null };
      }
    }
    const cells = row.cells.filter((c) => !cellIsEmpty(c));
    if (cells.length === 0) return;
    const first = cells[0]!;
    // The rest of a row a page break split: the ends of its labels, and more of its values.
    if (row.startsPage && labelEnds.has(keyOfCell(first))) {
      for (const c of cells) if (!labelEnds.has(keyOfCell(c)) && open) appendCell(open, c);
      labelEnds = new Set();
      return;
    }
    const labels = rowLabels(cells);
    labelEnds = new Set(labels.flatMap((l) => (l.rest ? [l.rest] : [])));
    const firstDef = labels[0]!.def;
    // Inside a table, a row whose label column a span covers is the table's own row, even when
    // its name reads as a template label (开放时间 misread as 开始时间).
    const inTable = mode.kind === "indicators" || mode.kind === "subProjects";
    if (
      firstDef &&
      firstDef.kind !== "category" &&
      inTable &&
      !first.inLabelColumn &&
      continueOpen(row.cells)
    )
      return;

    if (!firstDef) {
      const inline = splitInlineLabel(first);
      if (inline && first.inLabelColumn) {
        readLabelled(
          [{ def: inline.def, cell: first }, ...cells.slice(1).map((c) => ({ def: matchLabel(c), cell: c }))],
          [inline.rest],
        );
        return;
      }
      if (first.inLabelColumn) {
        const text = cleanFreeText(cellLines(first).join(""));
        raw.flags.push(makeFlag("UNKNOWN_LABEL", null, `row label "${text}" is not in the 2018 template`));
        if (mode.kind === "indicators") {
          mode = { kind: "indicators", category: null };
          addIndicator(cells.slice(1), null);
        }
        open = null;
        return;
      }
      if (!continueOpen(row.cells)) {
        const text = cleanFreeText(cells.map((c) => cellLines(c).join("")).join(" "));
        raw.flags.push(makeFlag("UNKNOWN_LABEL", null, `row without a label: "${text.slice(0, 40)}"`));
      }
      return;
    }
    readLabelled(
      cells.map((c, i) => ({ def: labels[i]!.def, cell: c })),
      [],
    );
  };

  /** A row that starts with a label: label/value pairs, or a section start. */
  const readLabelled = (tagged: Array<{ def: LabelKind | null; cell: Cell }>, inlineFirstValue: Cell[]) => {
    const head = tagged[0]!;
    const def = head.def!;
    const rest = tagged.slice(1).map((t) => t.cell);
    switch (def.kind) {
      case "category":
        if (pendingCategoryFrom !== null && rowStartsPage) {
          for (const ind of raw.indicators.slice(pendingCategoryFrom)) ind.category = def.category;
        }
        pendingCategoryFrom = null;
        mode = { kind: "indicators", category: def.category };
        addIndicator([...inlineFirstValue, ...rest], def.category);
        return;
      case "indicators":
      case "indicatorHeader":
        mode = { kind: "indicators", category: mode.kind === "indicators" ? mode.category : null };
        open = null;
        return;
      case "subProjects":
        mode = { kind: "subProjects" };
        open = null;
        addSubProject([...inlineFirstValue, ...rest]);
        return;
      case "subProjectHeader":
        mode = { kind: "subProjects" };
        open = null;
        return;
      default:
        break;
    }
    mode = { kind: "main" };
    let current: LabelKind | null = null;
    let currentValue: RawValue | null = null;
    const begin = (d: LabelKind, valueCells: Cell[]) => {
      current = d;
      if (d.kind === "checkbox") {
        raw.checkboxes[d.field] ??= { items: [], cells: [] };
        mode = { kind: "checkbox", field: d.field };
        currentValue = null;
      } else {
        mode = { kind: "main" };
        currentValue = valueFor(d);
      }
      for (const c of valueCells) take(c);
    };
    const take = (c: Cell) => {
      if (current?.kind === "checkbox") {
        const group = raw.checkboxes[current.field]!;
        group.items.push(...c.lines.flat());
        group.cells.push(c);
      } else if (currentValue) appendCell(currentValue, c);
    };
    begin(def, inlineFirstValue);
    for (const t of tagged.slice(1)) {
      if (t.def && t.def.kind !== "category" && t.def.kind !== "subProjectHeader") begin(t.def, []);
      else take(t.cell);
    }
    open = currentValue;
  };

  const readLine = (text: string, block: Extract<Block, { kind: "line" }>) => {
    notePage(block.line.page);
    const clean = cleanFreeText(normalizeCompatIdeographs(text));
    const yearOf = (s: string) => {
      if (raw.year || parseYear(s) === null) return;
      raw.year = emptyRaw();
      raw.year.lines.push(s);
      raw.year.cells.push(lineCell(block));
    };
    if (isTitle(clean)) {
      // Some producers print the year on the title line: `…申报表（2018年）`, `2018年度…申报表`.
      if (/\d{4}\s*年/u.test(clean)) yearOf(clean);
      return;
    }
    const applicant = new RegExp(`^${APPLICANT_LABEL}\\s*[:：]?\\s*(.*)$`, "u").exec(
      clean.replace(/\s+/g, ""),
    );
    if (applicant) {
      raw.applicant = emptyRaw();
      raw.applicant.lines.push(applicant[1] ?? "");
      raw.applicant.cells.push(lineCell(block));
      return;
    }
    if (/^[(（]?\s*\d{4}\s*年度?\s*[)）]?$/u.test(clean)) yearOf(clean);
    // Anything else outside the table (page footers `— 2 —`, headers) carries no field.
  };

  for (const block of blocks) {
    if (block.kind === "line") readLine(block.line.text, block);
    else readRow(block.row);
  }
  raw.pages.sort((a, b) => a - b);
  return raw;
}

function lineCell(block: Extract<Block, { kind: "line" }>): Cell {
  const { line } = block;
  return {
    col: 0,
    inLabelColumn: false,
    lines: [[{ kind: "text", text: line.text }]],
    hiddenLines: [],
    page: line.page,
    bbox: line.bbox,
    source: line.source,
    confidence: line.confidence,
  };
}
