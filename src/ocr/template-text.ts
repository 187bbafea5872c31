import { type LabelDef, labelList } from "../fields/labels.js";
import { TEMPLATES } from "../templates/registry.js";
import type { FormTemplate } from "../templates/template.js";

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

export interface TemplateText {
  rowKinds: ReadonlyMap<string, RowKind>;
  /** Every label and header cell the templates print in a table cell. */
  cellLabels: readonly string[];
  /** The tables' header cells: all a cell inside a table may be known as. */
  tableHeaders: readonly string[];
  titles: readonly string[];
  /** Labels printed as a free line `label：value` above the table (`申报单位名称`). */
  lineLabels: readonly string[];
}

export function templateText(templates: readonly FormTemplate[]): TemplateText {
  const rowKinds = new Map<string, RowKind>();
  for (const t of templates)
    for (const { label, def } of labelList(t)) if (!rowKinds.has(label)) rowKinds.set(label, rowKind(def));
  const allHeaders = templates.flatMap(headers);
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
