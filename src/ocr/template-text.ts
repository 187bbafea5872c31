import { type LabelDef, labelList } from "../fields/labels.js";
import { TEMPLATES } from "../templates/registry.js";
import type { FormTemplate } from "../templates/template.js";
import { editDistance } from "../text/distance.js";
import { labelKey } from "../text/normalize.js";

/**
 * What OCR knows of the printed forms before it knows a page's family (pages are read before forms
 * are split and detected): the row labels, table headers, titles and free-line labels of every
 * registered template, the first template's first, so a misreading equally near two families'
 * texts snaps to the first's. Each label also says what its row's other cells hold.
 */

/** What a row's value cells hold, by its label: read as amounts, dates, a checkbox group, or a table's cells. */
export type RowKind =
  | { kind: "money" }
  | { kind: "date" }
  | { kind: "checkbox"; options: readonly string[] }
  | { kind: "table" }
  | { kind: "text" };

function rowKind(def: LabelDef): RowKind {
  switch (def.kind) {
    case "value": {
      const k = def.field.kind.kind;
      return k === "money" ? { kind: "money" } : k === "date" ? { kind: "date" } : { kind: "text" };
    }
    case "checkbox":
      return def.field.kind.kind === "checkbox"
        ? { kind: "checkbox", options: def.field.kind.options }
        : { kind: "text" };
    case "table":
    case "tableHeader":
    case "level":
      return { kind: "table" };
    case "group":
      return { kind: "text" };
  }
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

const headers = (t: FormTemplate) =>
  t.fields.flatMap((f) => (f.kind.kind === "table" ? f.kind.columns.map((c) => c.header) : []));

/** The standard values of a table's level columns (`levelsUnder` rules: 产出指标 → 数量指标 …). */
const levelValues = (t: FormTemplate) =>
  t.rules.flatMap((r) =>
    r.rule === "levelsUnder"
      ? Object.entries(r.standard).flatMap(([parent, children]) => [parent, ...children])
      : [],
  );

/** Misread characters snapToKnown (known-text.ts) lets a known text of this length have. */
const allowance = (length: number) => (length <= 3 ? 0 : length <= 6 ? 1 : Math.floor(length * 0.25));

/**
 * The level values a table cell read right would be snapped away from: those within the allowance
 * of another table text (时效指标, one character from the 2018 header 绩效指标). They are known
 * text themselves, so a right reading stays; the other levels are left out, as a known level
 * would also draw in other families' indicator names one character away (服务对象满意度).
 */
function capturedLevels(templates: readonly FormTemplate[], tableText: readonly string[]): string[] {
  const keys = tableText.map(labelKey);
  return templates.flatMap(levelValues).filter((value) => {
    const key = labelKey(value);
    return keys.some((k) => k !== key && editDistance(key, k) <= allowance([...k].length));
  });
}

export interface TemplateText {
  rowKinds: ReadonlyMap<string, RowKind>;
  /** Every label and header cell the templates print in a table cell. */
  cellLabels: readonly string[];
  /**
   * The tables' header cells, and the level values one misread from them: all a cell inside a
   * table may be known as.
   */
  tableHeaders: readonly string[];
  titles: readonly string[];
  /** Labels printed as a free line `label：value` above the table (`申报单位名称`). */
  lineLabels: readonly string[];
}

export function templateText(templates: readonly FormTemplate[]): TemplateText {
  const rowKinds = new Map<string, RowKind>();
  for (const t of templates)
    for (const { label, def } of labelList(t)) if (!rowKinds.has(label)) rowKinds.set(label, rowKind(def));
  const tableHeaders = unique(templates.flatMap(headers));
  const allHeaders = [...tableHeaders, ...capturedLevels(templates, tableHeaders)];
  return {
    rowKinds,
    cellLabels: unique(templates.flatMap((t) => [...labelList(t).map((l) => l.label), ...headers(t)])),
    tableHeaders: unique(allHeaders),
    titles: unique(templates.map((t) => t.title)),
    lineLabels: unique(
      templates.flatMap((t) => t.fields.flatMap((f) => (f.line && f.printed[0] ? [f.printed[0]] : []))),
    ),
  };
}

/** The registered templates' text. */
export const KNOWN: TemplateText = templateText(TEMPLATES);
