import type { Extraction } from "../schema.js";
import type { Db } from "../store/db.js";
import { templateById } from "../templates/registry.js";
import { type FieldDef, type FormTemplate, pathOf, valueAt } from "../templates/template.js";
import { parseTarget } from "../values/target.js";
import { type Edit, withForm } from "./corrections.js";
import { readEditValue } from "./edit-values.js";
import { shiftPath } from "./history.js";
import { validateForm } from "./paths.js";
import { implausible } from "./plausible.js";
import { InvalidEditError } from "./stored.js";

/**
 * Rows of a form's tables a reader missed or invented: a sub-project or an indicator added (its
 * cells read as a reviewer's values are, edit-values.ts) or deleted. Each is an audit row whose
 * field names the row (`form.subProjects[3]`; old null: added, new null: deleted), and flags are
 * recomputed with the rows after it moved (history.ts).
 */

type RowEdit = Omit<Edit, "field" | "value"> & { table: string };

const refuse = (path: string, message: string) => new InvalidEditError(message, [{ path, message }]);

function tableOf(template: FormTemplate, table: string): FieldDef & { kind: { kind: "table" } } {
  const f = template.fields.find((x) => pathOf(x) === table && x.kind.kind === "table");
  if (!f) throw refuse(`form.${table}`, `不是本表单的表格：${table}`);
  return f as FieldDef & { kind: { kind: "table" } };
}

const rowsOf = (form: Record<string, unknown>, table: string): Array<Record<string, unknown>> => {
  const rows = valueAt(form, table);
  return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
};

/** The form with `rows` in place of the table's rows (a dotted path's parents copied). */
function withRows(form: Record<string, unknown>, table: string, rows: unknown[]): Record<string, unknown> {
  const next = structuredClone(form);
  const steps = table.split(".");
  const last = steps.pop() as string;
  let holder = next;
  for (const s of steps) holder = holder[s] as Record<string, unknown>;
  holder[last] = rows;
  return next;
}

/** The provenance of the current form's cells after a row op: a deleted row's gone, the rows after it moved. */
function movedFields(fields: Extraction["fields"], op: { table: string; index: number; added: boolean }) {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([path, where]) => {
      const moved = shiftPath(path, op);
      return moved === null ? [] : [[moved, where]];
    }),
  );
}

/** Adds a row at `at` (the end when absent) with `values` by column key, each read as typed. */
export async function addRow(
  db: Db,
  formId: number,
  edit: RowEdit & { at?: number | undefined; values: Record<string, unknown> },
): Promise<{ current: Extraction; version: number; path: string }> {
  return withForm(db, formId, async (stored, commit) => {
    const template = templateById(stored.current.template);
    const table = tableOf(template, edit.table);
    const rows = rowsOf(stored.current.form, edit.table);
    const at = edit.at ?? rows.length;
    if (!Number.isInteger(at) || at < 0 || at > rows.length)
      throw refuse(
        `form.${edit.table}`,
        `插入位置须为 0 到 ${rows.length} 之间的整数（收到：${String(at)}）`,
      );
    const path = `form.${edit.table}[${at}]`;
    const unknown = Object.keys(edit.values).filter((k) => !table.kind.columns.some((c) => c.key === k));
    if (unknown.length > 0) throw refuse(path, `不是本表格的列：${unknown.join("、")}`);
    const row: Record<string, unknown> = {};
    const issues: Array<{ path: string; message: string }> = [];
    for (const c of table.kind.columns) {
      const cell = `${path}.${c.key}`;
      const read = readEditValue(template, cell, edit.values[c.key] ?? null);
      if (!read.ok) issues.push({ path: cell, message: `${c.header}：${read.message}` });
      else if (c.required && (read.value === null || read.value === ""))
        issues.push({ path: cell, message: `${c.header}不能为空` });
      else {
        row[c.key] = read.value;
        issues.push(...implausible(cell, read.value));
      }
      if (c.column.role === "target")
        row.parsed =
          typeof row[c.key] === "string" && row[c.key] !== "" ? parseTarget(row[c.key] as string) : null;
    }
    if (issues.length > 0) throw new InvalidEditError(issues.map((i) => i.message).join("；"), issues);
    const form = withRows(stored.current.form, edit.table, [...rows.slice(0, at), row, ...rows.slice(at)]);
    const invalid = validateForm(form, template);
    if (invalid.length > 0) throw new InvalidEditError(invalid.map((i) => i.message).join("；"), invalid);
    return {
      ...(await commit({
        ...edit,
        field: path,
        old: null,
        value: row,
        form,
        fields: movedFields(stored.current.fields, { table: edit.table, index: at, added: true }),
      })),
      path,
    };
  });
}

/** Deletes the row at `index`; the last row of a table is kept (a form has at least one). */
export async function deleteRow(
  db: Db,
  formId: number,
  edit: RowEdit & { index: number },
): Promise<{ current: Extraction; version: number; path: string }> {
  return withForm(db, formId, async (stored, commit) => {
    tableOf(templateById(stored.current.template), edit.table);
    const rows = rowsOf(stored.current.form, edit.table);
    const path = `form.${edit.table}[${String(edit.index)}]`;
    const old = Number.isInteger(edit.index) ? rows[edit.index] : undefined;
    if (!old)
      throw refuse(path, `没有这一行：第 ${String(Number(edit.index) + 1)} 行（共 ${rows.length} 行）`);
    if (rows.length === 1) throw refuse(path, "表格至少保留一行；请改正这一行的内容");
    const form = withRows(
      stored.current.form,
      edit.table,
      rows.filter((_, i) => i !== edit.index),
    );
    return {
      ...(await commit({
        ...edit,
        field: path,
        old,
        value: null,
        form,
        fields: movedFields(stored.current.fields, { table: edit.table, index: edit.index, added: false }),
      })),
      path,
    };
  });
}
