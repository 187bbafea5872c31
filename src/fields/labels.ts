import type { Cell } from "../layout/model.js";
import type { FieldDef, FormTemplate } from "../templates/template.js";
import { cleanFreeText, labelKey } from "../text/normalize.js";

/**
 * The row labels of a template, as recovery matches them: every printed label of every field, the
 * first header cell of each table, the listed values of a table's label-column level, and the
 * group labels. Matching ignores width, spaces, line breaks and `(元)` vs `（元）`.
 */

export type LabelDef =
  /** A text, money, date or code-bearing field: its value follows in the row. */
  | { kind: "value"; field: FieldDef }
  | { kind: "checkbox"; field: FieldDef }
  /** A table's spanning label: its rows follow. */
  | { kind: "table"; field: FieldDef }
  /** A table's header row (its first header cell): skipped. */
  | { kind: "tableHeader"; field: FieldDef }
  /** A listed value of a table's label-column level (a 2018 category) starting its rows. */
  | { kind: "level"; field: FieldDef; column: string; value: string }
  /** A label spanning other labels' rows, holding no value (`项目资金（万元）`). */
  | { kind: "group" };

export interface LabelIndex {
  /** Fresh def per printed label: recovery tells labels apart by identity. */
  byKey: ReadonlyMap<string, LabelDef>;
  /** Header cells of every table by field key: a row of them only is skipped. */
  headerKeys: ReadonlyMap<string, ReadonlySet<string>>;
  titleKey: string;
}

function labelsOf(f: FieldDef): Array<{ label: string; def: LabelDef }> {
  const k = f.kind;
  const rows: Array<{ label: string; def: LabelDef }> = [];
  for (const label of f.printed) {
    if (k.kind === "text" || k.kind === "money" || k.kind === "date")
      rows.push({ label, def: { kind: "value", field: f } });
    else if (k.kind === "checkbox") rows.push({ label, def: { kind: "checkbox", field: f } });
    else if (k.kind === "table") rows.push({ label, def: { kind: "table", field: f } });
  }
  if (k.kind === "table") {
    const first = k.columns[0];
    if (first) rows.push({ label: first.header, def: { kind: "tableHeader", field: f } });
    for (const c of k.columns) {
      if (c.column.role !== "level" || !c.column.values) continue;
      for (const value of c.column.values)
        rows.push({ label: value, def: { kind: "level", field: f, column: c.key, value } });
    }
  }
  return rows;
}

const CACHE = new WeakMap<FormTemplate, LabelIndex>();

/** Every row label of a template as printed, with what it starts, in the template's order. */
export function labelList(t: FormTemplate): Array<{ label: string; def: LabelDef }> {
  return [
    ...t.fields.flatMap(labelsOf),
    ...(t.groups ?? []).map((label) => ({ label, def: { kind: "group" } as LabelDef })),
  ];
}

export function labelIndex(t: FormTemplate): LabelIndex {
  const hit = CACHE.get(t);
  if (hit) return hit;
  const labels = labelList(t);
  const headerKeys = new Map(
    t.fields.flatMap((f) =>
      f.kind.kind === "table"
        ? [[f.key, new Set(f.kind.columns.map((c) => labelKey(c.header)))] as const]
        : [],
    ),
  );
  const index: LabelIndex = {
    byKey: new Map(labels.map((l) => [labelKey(l.label), l.def])),
    headerKeys,
    titleKey: labelKey(t.title),
  };
  CACHE.set(t, index);
  return index;
}

export function cellLines(cell: Cell): string[] {
  return cell.lines.map((line) => line.map((it) => (it.kind === "text" ? it.text : "")).join(""));
}

export function keyOfCell(cell: Cell): string {
  return labelKey(cleanFreeText(cellLines(cell).join("")));
}

/** Shortest start of a label (characters) that may stand for it when a page break cut it. */
const MIN_LABEL_START = 4;

/**
 * The template label a label cell's text is the start of, and what of it is missing: a row split
 * by a page break prints `同名项目上年预算` on one page and `额（元）` on the next. Only a start
 * that fits one label alone counts.
 */
export function labelStart(
  index: LabelIndex,
  key: string,
  taken: ReadonlySet<LabelDef> = new Set(),
): { def: LabelDef; rest: string } | null {
  if ([...key].length < MIN_LABEL_START) return null;
  const fits = [...index.byKey.entries()].filter(
    ([k, d]) => k.startsWith(key) && k !== key && !taken.has(d) && [...key].length * 2 >= [...k].length,
  );
  if (new Set(fits.map(([, d]) => d)).size !== 1) return null;
  return { def: fits[0]![1], rest: fits[0]![0].slice(key.length) };
}

export function matchLabel(index: LabelIndex, cell: Cell): LabelDef | null {
  const key = keyOfCell(cell);
  return index.byKey.get(key) ?? labelStart(index, key)?.def ?? null;
}

/**
 * The labels of a row's cells: exact ones, then starts of labels, a start that fits two labels
 * (同名项目上年预算…) decided by the label the row's other cell already is (a row holds two).
 */
export function rowLabels(
  index: LabelIndex,
  cells: readonly Cell[],
): Array<{ def: LabelDef | null; rest: string | null }> {
  const keys = cells.map(keyOfCell);
  const out = keys.map((k) => {
    const exact = index.byKey.get(k);
    if (exact) return { def: exact, rest: null };
    const start = labelStart(index, k);
    return start ? { def: start.def, rest: start.rest } : { def: null, rest: null };
  });
  const taken = new Set(out.flatMap((o) => (o.def ? [o.def] : [])));
  keys.forEach((k, i) => {
    if (out[i]!.def) return;
    const start = labelStart(index, k, taken);
    if (start) out[i] = { def: start.def, rest: start.rest };
  });
  return out;
}

/** `项目名称：学会改革和发展` in one cell: the label and its value share the cell. */
export function splitInlineLabel(index: LabelIndex, cell: Cell): { def: LabelDef; rest: Cell } | null {
  const text = cellLines(cell).join("");
  const m = /^([^:：]{2,16})[:：]\s*(.+)$/su.exec(text);
  if (!m) return null;
  const def = index.byKey.get(labelKey(m[1] ?? ""));
  if (!def) return null;
  return { def, rest: { ...cell, lines: [[{ kind: "text", text: m[2] ?? "" }]] } };
}
