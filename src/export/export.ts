import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Queryable } from "../store/db.js";
import { exportViews } from "../store/views.js";
import { TEMPLATES } from "../templates/registry.js";
import type { FormTemplate } from "../templates/template.js";
import { type Column, type ExportFormat, toCsv, toJsonl, toParquet } from "./formats.js";

/**
 * Analytics exports: the SQL views (src/store/views.ts, derived from the templates) written as
 * CSV, JSON Lines or Parquet, one file per view (`export_forms` -> `forms.parquet`). The views apply
 * corrections, so BI tools reading the database and these files see the same rows; the files'
 * types are the views' (docs/data.md), read from the database, so an empty table keeps them.
 */

export { neutralizeFormula, toCsv } from "./formats.js";
export type { ExportFormat };

/** The exported tables, in order: each view's name without `export_`. */
export function exportTableNames(templates: readonly FormTemplate[] = TEMPLATES): string[] {
  return exportViews(templates).map((v) => v.name.replace(/^export_/, ""));
}

/**
 * A view's columns and rows. Values come out the same from PGlite and PostgreSQL: bigint and
 * numeric as exact text, dates as `YYYY-MM-DD`, timestamps as Date.
 */
export async function readTable(
  db: Queryable,
  table: string,
  templates: readonly FormTemplate[] = TEMPLATES,
): Promise<{ columns: Column[]; rows: Array<Record<string, unknown>> }> {
  const view = exportViews(templates).find((v) => v.name === `export_${table}`);
  if (!view) throw new Error(`no export table ${table}`);
  const { rows: cols } = await db.query<{
    column_name: string;
    data_type: string;
    numeric_precision: number | null;
    numeric_scale: number | null;
  }>(
    `SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
     WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position`,
    [view.name],
  );
  const columns: Column[] = cols.map((c) => ({
    name: c.column_name,
    sqlType: c.data_type,
    precision: c.numeric_precision === null ? null : Number(c.numeric_precision),
    scale: c.numeric_scale === null ? null : Number(c.numeric_scale),
  }));
  const select = columns.map((c) => {
    const q = `"${c.name}"`;
    if (c.sqlType === "bigint" || c.sqlType === "numeric") return `${q}::text AS ${q}`;
    if (c.sqlType === "date") return `to_char(${q}, 'YYYY-MM-DD') AS ${q}`;
    return q;
  });
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${select.join(", ")} FROM ${view.name} ORDER BY ${view.order.join(", ")}`,
  );
  return { columns, rows };
}

export async function exportTables(
  db: Queryable,
  format: ExportFormat,
  outDir: string,
  templates: readonly FormTemplate[] = TEMPLATES,
): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const table of exportTableNames(templates)) {
    const { columns, rows } = await readTable(db, table, templates);
    counts[table] = rows.length;
    const file = join(outDir, `${table}.${format}`);
    if (format === "csv") await writeFile(file, toCsv(columns, rows));
    else if (format === "jsonl") await writeFile(file, toJsonl(columns, rows));
    else await writeFile(file, Buffer.from(await toParquet(columns, rows)));
  }
  return counts;
}
