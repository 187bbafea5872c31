import { makeFlag } from "../flags.js";
import { type Block, type Cell, cellIsEmpty, type Row } from "../layout/model.js";
import type { FieldDef, FormTemplate } from "../templates/template.js";
import { cleanFreeText, labelKey, normalizeCompatIdeographs } from "../text/normalize.js";
import { parseYear } from "../values/date.js";
import { cellLines, keyOfCell, type LabelDef, labelIndex, rowLabels, splitInlineLabel } from "./labels.js";
import { appendCell, emptyRaw, lineCell, type RawForm, type RawValue } from "./raw.js";
import { TableReader } from "./table.js";

export { cellLines } from "./labels.js";
export { bboxOf, provenanceOf, type RawForm, type RawRow, type RawValue, rawText } from "./raw.js";

/**
 * Field recovery: walks one form's blocks (rows and free lines, across pages) and fills the form's
 * raw values with provenance, as its template's labels say. Sources differ only in how they built
 * the rows.
 */

type Mode =
  | { kind: "main" }
  | { kind: "checkbox"; field: FieldDef }
  | { kind: "table"; table: TableReader; level: string | null };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function recoverForm(blocks: readonly Block[], template: FormTemplate): RawForm {
  const index = labelIndex(template);
  const raw: RawForm = { values: {}, checkboxes: {}, tables: {}, flags: [], pages: [], unplaced: [] };
  const tables = new Map<string, TableReader>();
  const tableOf = (f: FieldDef): TableReader => {
    let t = tables.get(f.key);
    if (!t) {
      t = new TableReader(f, index.headerKeys.get(f.key) ?? new Set());
      tables.set(f.key, t);
      raw.tables[f.key] = t.rows;
    }
    return t;
  };
  const yearField = template.fields.find((f) => f.kind.kind === "year");
  const lineFields = template.fields.flatMap((f) =>
    f.line && f.printed[0]
      ? [{ f, re: new RegExp(`^${escapeRe(f.printed[0])}\\s*[:：]?\\s*(.*)$`, "u") }]
      : [],
  );
  let mode: Mode = { kind: "main" };
  /**
   * Index of the first row of a group whose spanning label-column level printed empty mid-page:
   * its label, if any, prints on the next page's fragment (the seed's layout).
   */
  let pendingLevelFrom: number | null = null;
  let rowStartsPage = false;
  /** The value the last label opened: a value-only row continues it (a cell split by a page break). */
  let open: RawValue | null = null;
  /** The open value is text, which may run on into the next row; a number or date does not. */
  let openIsText = false;
  /** Ends of labels a page break cut (their starts matched): the next page's first row prints them. */
  let labelEnds = new Set<string>();

  const notePage = (page: number | null) => {
    if (page !== null && !raw.pages.includes(page)) raw.pages.push(page);
  };
  const valueFor = (f: FieldDef): RawValue => {
    raw.values[f.key] ??= emptyRaw();
    return raw.values[f.key]!;
  };
  const groupOf = (f: FieldDef) => {
    raw.checkboxes[f.key] ??= { items: [], cells: [] };
    return raw.checkboxes[f.key]!;
  };
  const addRow = (table: TableReader, cells: readonly Cell[], level: string | null) => {
    table.add(cells, level);
    open = null;
  };

  const continueOpen = (cells: Cell[]): boolean => {
    if (mode.kind === "checkbox") {
      const group = groupOf(mode.field);
      for (const c of cells.filter((x) => !cellIsEmpty(x))) {
        group.items.push(...c.lines.flat());
        group.cells.push(c);
      }
      return true;
    }
    if (mode.kind === "table") {
      // A continued target cell (split by a page break) has an empty name column.
      const { table } = mode;
      const filled = cells.filter((c) => !cellIsEmpty(c));
      const last = table.rows.at(-1);
      const target = table.targetKey;
      if (
        target &&
        filled.length === 1 &&
        last &&
        cells.length > 1 &&
        cellIsEmpty(cells[cells.length - 2]!)
      ) {
        appendCell(last.values[target]!, filled[0]!);
        return true;
      }
      addRow(table, cells, mode.level);
      return true;
    }
    if (open) {
      // A scanned row of a number or date's value alone lost its label to a missed ruling: in doubt.
      for (const c of cells.filter((x) => !cellIsEmpty(x)))
        appendCell(open, !openIsText && c.source === "ocr" ? { ...c, confidence: 0 } : c);
      return true;
    }
    return false;
  };

  const readRow = (row: Row) => {
    notePage(row.page);
    rowStartsPage = row.startsPage;
    const labelCell = row.cells.find((c) => c.inLabelColumn);
    // A PDF row that starts a new (empty) spanning label cell, not one covered by a span above.
    if (
      mode.kind === "table" &&
      mode.table.labelLevel &&
      labelCell?.bbox &&
      cellIsEmpty(labelCell) &&
      row.cells.length > 1
    ) {
      if (!row.startsPage) {
        pendingLevelFrom = mode.table.rows.length;
        mode = { ...mode, level: null };
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
    const labels = rowLabels(index, cells);
    labelEnds = new Set(labels.flatMap((l) => (l.rest ? [l.rest] : [])));
    const firstDef = labels[0]!.def;
    // A scan's label alone in its row: its value cell merged into another row's, or was lost.
    if (firstDef?.kind === "value" && row.cells.every((c) => c.inLabelColumn && c.source === "ocr"))
      raw.unplaced.push(firstDef.field.key);
    // Inside a table, a row whose label column a span covers is the table's own row, even when
    // its name reads as a template label (开放时间 misread as 开始时间).
    if (
      firstDef &&
      firstDef.kind !== "level" &&
      mode.kind === "table" &&
      !first.inLabelColumn &&
      continueOpen(row.cells)
    )
      return;

    if (!firstDef) {
      const inline = splitInlineLabel(index, first);
      if (inline && first.inLabelColumn) {
        readLabelled(
          [
            { def: inline.def, cell: first },
            ...cells.slice(1).map((c) => ({ def: rowLabels(index, [c])[0]!.def, cell: c })),
          ],
          [inline.rest],
        );
        return;
      }
      if (first.inLabelColumn) {
        const text = cleanFreeText(cellLines(first).join(""));
        raw.flags.push(
          makeFlag("UNKNOWN_LABEL", null, `row label "${text}" is not in the ${template.name} template`),
        );
        // An unknown label in a table of labelled levels is a level it does not know: still a row.
        if (mode.kind === "table" && mode.table.labelLevel) {
          mode = { ...mode, level: null };
          addRow(mode.table, cells.slice(1), null);
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
  const readLabelled = (tagged: Array<{ def: LabelDef | null; cell: Cell }>, inlineFirstValue: Cell[]) => {
    const def = tagged[0]!.def!;
    const rest = tagged.slice(1).map((t) => t.cell);
    switch (def.kind) {
      case "level": {
        const table = tableOf(def.field);
        if (pendingLevelFrom !== null && rowStartsPage) table.relabel(pendingLevelFrom, def.value);
        pendingLevelFrom = null;
        mode = { kind: "table", table, level: def.value };
        addRow(table, [...inlineFirstValue, ...rest], def.value);
        return;
      }
      case "table":
      case "tableHeader": {
        const table = tableOf(def.field);
        const level = mode.kind === "table" && mode.table === table ? mode.level : null;
        mode = { kind: "table", table, level };
        open = null;
        if (table.labelLevel === null) addRow(table, [...inlineFirstValue, ...rest], level);
        return;
      }
      default:
        break;
    }
    mode = { kind: "main" };
    let current: LabelDef | null = null;
    let currentValue: RawValue | null = null;
    const begin = (d: LabelDef, valueCells: Cell[]) => {
      current = d;
      currentValue = null;
      if (d.kind === "checkbox") {
        groupOf(d.field);
        mode = { kind: "checkbox", field: d.field };
      } else {
        mode = { kind: "main" };
        if (d.kind === "value") currentValue = valueFor(d.field);
      }
      for (const c of valueCells) take(c);
    };
    const take = (c: Cell) => {
      if (current?.kind === "checkbox") {
        const group = groupOf(current.field);
        group.items.push(...c.lines.flat());
        group.cells.push(c);
      } else if (currentValue) appendCell(currentValue, c);
    };
    begin(def, inlineFirstValue);
    for (const t of tagged.slice(1)) {
      // A later cell naming a table or group ends the value before it; a header cell is a value.
      if (t.def && t.def.kind !== "level" && t.def.kind !== "tableHeader") begin(t.def, []);
      else take(t.cell);
    }
    open = currentValue;
    const last = current as LabelDef | null;
    openIsText = last?.kind === "value" && last.field.kind.kind === "text";
  };

  const readLine = (text: string, block: Extract<Block, { kind: "line" }>) => {
    notePage(block.line.page);
    const clean = cleanFreeText(normalizeCompatIdeographs(text));
    const yearOf = (s: string) => {
      if (!yearField || raw.values[yearField.key] || parseYear(s) === null) return;
      const v = valueFor(yearField);
      v.lines.push(s);
      v.cells.push(lineCell(block));
    };
    if (labelKey(clean).includes(index.titleKey)) {
      // Some producers print the year on the title line: `…申报表（2018年）`, `2018年度…申报表`.
      if (/\d{4}\s*年/u.test(clean)) yearOf(clean);
      return;
    }
    for (const { f, re } of lineFields) {
      const m = re.exec(clean.replace(/\s+/g, ""));
      if (!m) continue;
      raw.values[f.key] = { lines: [m[1] ?? ""], hiddenLines: [], cells: [lineCell(block)] };
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
