import type { ColumnRole, FieldDef, FormTemplate, MoneyUnit } from "../templates/template.js";
import { pathOf, valueAt } from "../templates/template.js";
import { esc } from "./html.js";

/**
 * The form page's edit boxes, one per field and per table cell (levels included), each with a
 * place beside the input where the server's reason for refusing a value is shown. Values are
 * shown as a reviewer would type them: an amount in its field's unit, so saving it unchanged
 * reads back the same (a 万元 field shows `120.5万元`, never the yuan number).
 */

/** An amount as typed in a field printed in `unit` (the stored value is yuan). */
export function moneyText(value: unknown, unit: MoneyUnit): string {
  if (typeof value !== "number") return value === null || value === undefined ? "" : String(value);
  return unit === "元" ? String(value) : `${Number((value / 10_000).toFixed(6))}万元`;
}

const HINTS: Record<string, string> = {
  元: "金额（元），如 1,234.50、1234.5元、12.5万元",
  万元: "金额（万元），如 12.5 或 12.5万元",
  date: "日期，如 2018-12-31、2018年12月31日、2018.12.31",
  year: "年份，如 2018",
};

export type Input =
  | { as: "text"; text: string; long: boolean; hint?: string | undefined }
  | { as: "select"; value: unknown; values: readonly string[] }
  | { as: "options"; value: unknown; options: readonly string[] };

export function inputHtml(i: Input): string {
  if (i.as === "options") {
    const chosen = new Set(Array.isArray(i.value) ? (i.value as string[]) : []);
    return i.options
      .map(
        (o) =>
          `<label style="font-weight:normal;display:inline"><input type="checkbox" data-option value="${esc(o)}"${chosen.has(o) ? " checked" : ""}> ${esc(o)}</label>`,
      )
      .join(" ");
  }
  if (i.as === "select") {
    const opts = ["", ...i.values].map(
      (v) =>
        `<option value="${esc(v)}"${v === (i.value ?? "") ? " selected" : ""}>${esc(v || "（无）")}</option>`,
    );
    return `<select data-input>${opts.join("")}</select>`;
  }
  const hint = i.hint ? ` placeholder="${esc(i.hint)}" title="${esc(i.hint)}"` : "";
  return i.long
    ? `<textarea data-input${hint}>${esc(i.text)}</textarea>`
    : `<input type="text" data-input value="${esc(i.text)}"${hint}>`;
}

/** What a field's box shows beside its label: its flags and confidence (HTML, escaped by the caller). */
export type Marks = (path: string) => string;
const noMarks: Marks = () => "";

/** One field's box: label, its marks, input, save, and the message place (`.msg`) beside it. */
function block(path: string, label: string, input: Input, marks: Marks): string {
  const kind = input.as === "options" ? "options" : "text";
  return `<div class="field" data-field="${esc(path)}" data-kind="${kind}"><label>${esc(label)} <small>${esc(path)}</small></label>${marks(path)}${inputHtml(input)}
<div><button type="button" data-save>保存</button> <span class="msg" aria-live="polite"></span></div></div>`;
}

const plain = (v: unknown) => (v === null || v === undefined ? "" : String(v));

function fieldInput(f: FieldDef, value: unknown): Input {
  const k = f.kind;
  if (k.kind === "checkbox") return { as: "options", value, options: k.options };
  if (k.kind === "money")
    return { as: "text", text: moneyText(value, k.unit), long: false, hint: HINTS[k.unit] };
  if (k.kind === "date" || k.kind === "year")
    return { as: "text", text: plain(value), long: false, hint: HINTS[k.kind] };
  const long = k.kind === "text" && (k.long || f.emptyString === true);
  return { as: "text", text: plain(value), long };
}

function cellInput(c: ColumnRole, value: unknown): Input {
  if (c.role === "level" && c.values) return { as: "select", value, values: c.values };
  if (c.role === "money")
    return { as: "text", text: moneyText(value, c.unit), long: false, hint: HINTS[c.unit] };
  return { as: "text", text: plain(value), long: false };
}

/** The form's own fields in print order, the year first (tables are edited cell by cell). */
export function fieldBlocks(t: FormTemplate, form: unknown, marks: Marks = noMarks): string {
  return t.fields
    .filter((f) => f.kind.kind !== "table")
    .map((f) => block(`form.${pathOf(f)}`, f.review, fieldInput(f, valueAt(form, pathOf(f))), marks))
    .join("\n");
}

/** A table's rows, every cell (its levels too) edited; labels name the row by its levels and name. */
export function tableBlocks(
  f: FieldDef,
  rows: unknown,
  marks: Marks = noMarks,
  rowEnd: (i: number) => string = () => "",
): string {
  if (f.kind.kind !== "table" || !Array.isArray(rows)) return "";
  const cols = f.kind.columns;
  const levels = cols.filter((c) => c.column.role === "level");
  const first = cols.find((c) => c.column.role === "text");
  return (rows as Array<Record<string, unknown>>)
    .flatMap((row, i) =>
      cols
        .map((c) => {
          const path = `form.${pathOf(f)}[${i}].${c.key}`;
          const within = levels.map((l) => row[l.key]).filter((v) => typeof v === "string" && v !== "");
          const label =
            c === first
              ? `${within.length ? within.join(" · ") : f.review} · ${c.header} ${i + 1}`
              : `${String(first ? row[first.key] : i + 1)} · ${c.header}`;
          return block(path, label, cellInput(c.column, row[c.key]), marks);
        })
        .concat(rowEnd(i)),
    )
    .join("\n");
}

/** What the page calls the field a flag is about: its printed label, a table cell by row and header. */
export function fieldLabel(t: FormTemplate, path: string | null): string {
  if (path === null) return "整份表单";
  const m = /^form\.(\w+(?:\.\w+)*)(?:\[(\d+)\]\.(\w+))?$/.exec(path);
  const f = m ? t.fields.find((x) => pathOf(x) === m[1]) : undefined;
  if (!m || !f) return path;
  if (m[2] === undefined || f.kind.kind !== "table") return f.review;
  const header = f.kind.columns.find((c) => c.key === m[3])?.header ?? m[3];
  return `${f.review} 第 ${Number(m[2]) + 1} 行 · ${header}`;
}

/** The input a reviewer edits the value at `path` with (a field or a table cell), or null for none. */
export function inputAt(t: FormTemplate, form: unknown, path: string): Input | null {
  const m = /^form\.(\w+(?:\.\w+)*)(?:\[(\d+)\]\.(\w+))?$/.exec(path);
  const f = m ? t.fields.find((x) => pathOf(x) === m[1]) : undefined;
  if (!m || !f) return null;
  const value = valueAt(form, m[1]!);
  if (m[2] === undefined) return f.kind.kind === "table" ? null : fieldInput(f, value);
  const col = f.kind.kind === "table" ? f.kind.columns.find((c) => c.key === m[3]) : undefined;
  const row = Array.isArray(value) ? (value[Number(m[2])] as Record<string, unknown> | undefined) : undefined;
  return col && row ? cellInput(col.column, row[col.key]) : null;
}
