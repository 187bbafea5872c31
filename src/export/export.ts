import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Queryable } from "../store/db.js";

/**
 * Analytics exports: the SQL views (`export_forms`, `export_sub_projects`, `export_indicators`,
 * `export_flags`, `export_corrections`, migration 2) written as CSV, JSON Lines or Parquet. The
 * views apply corrections, so BI tools reading the database and these files see the same rows.
 */

export type ExportFormat = "csv" | "jsonl" | "parquet";
export const EXPORT_TABLES = ["forms", "sub_projects", "indicators", "flags", "corrections"] as const;

type Row = Record<string, unknown>;

function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value;
}

export async function readTable(
  db: Queryable,
  table: (typeof EXPORT_TABLES)[number],
): Promise<{ columns: string[]; rows: Row[] }> {
  const order =
    table === "forms"
      ? "form_id"
      : table === "corrections"
        ? "correction_id"
        : `form_id, ${table === "sub_projects" ? "sub_project_index" : table === "indicators" ? "indicator_index" : "flag_index"}`;
  const { rows } = await db.query<Row>(`SELECT * FROM export_${table} ORDER BY ${order}`);
  // Column order comes from the view even when it has no rows.
  const { rows: cols } = await db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position",
    [`export_${table}`],
  );
  return {
    columns: cols.map((c) => c.column_name),
    rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalize(v)]))),
  };
}

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`, `-2+3`, `@SUM`,
 * or those after a tab or CR) gets a leading `'`, as OWASP's CSV-injection advice says; numbers stay numbers.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM so spreadsheet programs read the Chinese text right. */
export function toCsv(columns: string[], rows: Row[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return "";
    const s =
      typeof v === "string" ? neutralizeFormula(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n")}\r\n`;
}

async function toParquet(columns: string[], rows: Row[]): Promise<ArrayBuffer> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const columnData = columns.map((name) => {
    const data = rows.map((r) => normalize(r[name]) ?? null);
    const sample = data.find((v) => v !== null);
    const type = typeof sample === "number" ? "DOUBLE" : typeof sample === "boolean" ? "BOOLEAN" : "STRING";
    const values = data.map((v) => (v === null ? null : type === "STRING" ? String(v) : v));
    return { name, data: values, type } as const;
  });
  return parquetWriteBuffer({ columnData });
}

export async function exportTables(
  db: Queryable,
  format: ExportFormat,
  outDir: string,
): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const table of EXPORT_TABLES) {
    const { columns, rows } = await readTable(db, table);
    counts[table] = rows.length;
    const file = join(outDir, `${table}.${format}`);
    if (format === "csv") await writeFile(file, toCsv(columns, rows));
    else if (format === "jsonl")
      await writeFile(file, rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : ""));
    else await writeFile(file, Buffer.from(await toParquet(columns, rows)));
  }
  return counts;
}
