import type { FormValues } from "../schema.js";
import { type FormTemplate, pathOf, valueAt } from "../templates/template.js";
import { formSchemaOf } from "../templates/zod.js";
import { parseTarget } from "../values/target.js";
import { InvalidEditError } from "./stored.js";

/** Correction paths: reading and setting a field or a table cell of a form, and checking the result. */

/** `form.<output path>`, or a table cell `form.<table>[i].<column>`; an output path may be dotted. */
const PATH = /^form\.(\w+(?:\.\w+)*)(?:\[(\d+)\]\.(\w+))?$/;

/** Reads a value at a correction path (`form.totalBudget`, `form.indicators[2].target`). */
export function getAt(form: FormValues, path: string): unknown {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const top = valueAt(form, m[1]!);
  if (m[2] === undefined) return top;
  return (Array.isArray(top) ? (top[Number(m[2])] as Record<string, unknown> | undefined) : undefined)?.[
    m[3]!
  ];
}

/** The column holds a target, whose parse is redone from its text. */
export function isTargetColumn(template: FormTemplate, table: string, column: string): boolean {
  const kind = template.fields.find((f) => pathOf(f) === table)?.kind;
  return kind?.kind === "table" && kind.columns.some((c) => c.key === column && c.column.role === "target");
}

/** A copy of `form` with `value` at `path`; throws InvalidEditError for a path that does not exist. */
export function setAt<F extends FormValues>(
  form: F,
  path: string,
  value: unknown,
  template: FormTemplate,
): F {
  const m = PATH.exec(path);
  const next = structuredClone(form) as Record<string, unknown>;
  const steps = m?.[1]?.split(".") ?? [];
  const last = steps.pop() ?? "";
  const parent = steps.length === 0 ? next : valueAt(next, steps.join("."));
  const holder = parent !== null && typeof parent === "object" ? (parent as Record<string, unknown>) : null;
  const refuse = () =>
    new InvalidEditError(`不是可编辑的字段：${path}`, [{ path, message: "不是可编辑的字段" }]);
  if (!m || !holder || !(last in holder)) throw refuse();
  if (m[2] === undefined) {
    holder[last] = value;
    return next as F;
  }
  const list = holder[last];
  const row = Array.isArray(list) ? (list[Number(m[2])] as Record<string, unknown> | undefined) : undefined;
  if (!row || !(m[3]! in row) || m[3] === "parsed") throw refuse();
  row[m[3]!] = value;
  // A target's parse follows its text.
  if (isTargetColumn(template, m[1]!, m[3]!))
    row.parsed = typeof value === "string" && value !== "" ? parseTarget(value) : null;
  return next as F;
}

/** The same zod schema the extractor's output obeys (the form's template's); issues name the field. */
export function validateForm(
  form: FormValues,
  template: FormTemplate,
): Array<{ path: string; message: string }> {
  const result = formSchemaOf(template).safeParse(form);
  return result.success
    ? []
    : result.error.issues.map((i) => ({
        path: `form.${i.path.join(".").replace(/\.(\d+)\./g, "[$1].")}`,
        message: `不符合表单格式（${i.message}）`,
      }));
}
