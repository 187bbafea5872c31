import { moneyIn } from "../fields/read-values.js";
import type { ColumnRole, FieldDef, FormTemplate, MoneyUnit } from "../templates/template.js";
import { pathOf } from "../templates/template.js";
import { parseDate, parseYear } from "../values/date.js";
import { parseMoney } from "../values/money.js";

/**
 * A reviewer's value for a field, read the way the extractor reads the printed cell: a date as
 * printed (`2018年12月31日`, `2018.12.31`) to ISO, money as printed in the field's unit (`1,234.50`,
 * `12.5万元`; 万元 fields: `12.5`) to yuan, a year as `2018` or `2018年`, a level as one of its
 * listed values. A JSON number for money is already yuan (the output's unit). What does not read
 * is refused with the reason in Chinese, never stored as something else.
 */

export type EditValue = { ok: true; value: unknown } | { ok: false; message: string };

/** What a path names: a field of the form, or a column of one of its tables. */
type Target =
  | { at: "field"; field: FieldDef }
  | { at: "cell"; field: FieldDef; column: ColumnRole; header: string }
  | null;

const PATH = /^form\.(\w+(?:\.\w+)*)(?:\[(\d+)\]\.(\w+))?$/;

function targetOf(template: FormTemplate, path: string): Target {
  const m = PATH.exec(path);
  const field = m ? template.fields.find((f) => pathOf(f) === m[1]) : undefined;
  if (!m || !field) return null;
  if (m[2] === undefined) return field.kind.kind === "table" ? null : { at: "field", field };
  if (field.kind.kind !== "table") return null;
  const col = field.kind.columns.find((c) => c.key === m[3]);
  return col ? { at: "cell", field, column: col.column, header: col.header } : null;
}

const ok = (value: unknown): EditValue => ({ ok: true, value });
const no = (message: string): EditValue => ({ ok: false, message });
const blank = (v: unknown) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");
const shown = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function money(value: unknown, unit: MoneyUnit): EditValue {
  if (blank(value)) return ok(null);
  if (typeof value === "number") return Number.isFinite(value) ? ok(value) : no(`金额不是有限的数：${value}`);
  if (typeof value !== "string") return no(`金额须为数字或文字：${shown(value)}`);
  const text = value.trim();
  // A 万元 field read as printed; an amount written with 元 (not 万元) is yuan.
  const yuan =
    unit === "万元" && /元$/u.test(text) && !/万元$/u.test(text) ? parseMoney(text) : moneyIn(text, unit);
  if (yuan !== null) return ok(yuan);
  return no(
    unit === "万元"
      ? `金额无法识别：${text}（本栏以万元为单位，如 12.5 或 12.5万元；写明“元”则按元计）`
      : `金额无法识别：${text}（应为金额，如 1,234.50、1234.5元 或 12.5万元）`,
  );
}

function date(value: unknown): EditValue {
  if (blank(value)) return ok(null);
  if (typeof value !== "string") return no(`日期须为文字：${shown(value)}`);
  const iso = parseDate(value);
  return iso !== null
    ? ok(iso)
    : no(`日期无法识别或不存在：${value.trim()}（应为真实日期，如 2018-12-31、2018年12月31日、2018.12.31）`);
}

function year(value: unknown): EditValue {
  if (blank(value)) return ok(null);
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const y = /^\d{4}$/.test(text) ? Number(text) : /^\d{4}\s*年(度)?$/u.test(text) ? parseYear(text) : null;
  if (y !== null && y >= 1949 && y <= 2100) return ok(y);
  return no(`年度无法识别：${shown(value)}（应为四位年份，如 2018 或 2018年）`);
}

function text(value: unknown, nullable: boolean): EditValue {
  if (value === null || value === undefined) return ok(nullable ? null : "");
  if (typeof value !== "string") return no(`须为文字：${shown(value)}`);
  return ok(nullable && value === "" ? null : value);
}

function level(value: unknown, values: readonly string[] | null, header: string): EditValue {
  if (blank(value)) return ok(null);
  if (typeof value !== "string") return no(`${header}须为文字：${shown(value)}`);
  const v = value.trim();
  if (values && !values.includes(v)) return no(`${header}须为以下之一：${values.join("、")}（收到：${v}）`);
  return ok(v);
}

function options(value: unknown, allowed: readonly string[]): EditValue {
  if (!Array.isArray(value)) return no("选项须为一组勾选项");
  const wrong = value.filter((o) => typeof o !== "string" || !allowed.includes(o));
  if (wrong.length > 0)
    return no(`不是本栏的选项：${wrong.map(shown).join("、")}（可选：${allowed.join("、")}）`);
  return ok(value);
}

/** The value to store at `path` for what the reviewer sent, or why it is refused (Chinese). */
export function readEditValue(template: FormTemplate, path: string, value: unknown): EditValue {
  const t = targetOf(template, path);
  if (!t) return no(`不是可编辑的字段：${path}`);
  if (t.at === "cell") {
    const c = t.column;
    if (c.role === "level") return level(value, c.values, t.header);
    if (c.role === "money") return money(value, c.unit);
    return text(value, false);
  }
  const k = t.field.kind;
  switch (k.kind) {
    case "year":
      return year(value);
    case "money":
      return money(value, k.unit);
    case "date":
      return date(value);
    case "checkbox":
      return options(value, k.options);
    case "text":
    case "code":
      // A field that reads an empty cell as "" (the 2018 remarks) keeps "" for empty.
      return text(value, t.field.emptyString !== true);
    case "table":
      return no(`不是可编辑的字段：${path}`);
  }
}
