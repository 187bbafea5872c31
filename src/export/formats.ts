/**
 * The export file formats over a view's typed columns (export.ts reads them): CSV and JSON Lines
 * as text and JSON numbers, Parquet with the SQL types mapped one to one (docs/data.md): bigint
 * INT64, int INT32, numeric(18,2) DECIMAL(18,2) on INT64 (exact: from the text, never a float),
 * date DATE, timestamptz TIMESTAMP (UTC, milliseconds), boolean BOOLEAN, double DOUBLE, text UTF8.
 */

export type ExportFormat = "csv" | "jsonl" | "parquet";

export interface Column {
  name: string;
  /** information_schema's data_type: `bigint`, `integer`, `numeric`, `date`, `text`, … */
  sqlType: string;
  precision: number | null;
  scale: number | null;
}

type Row = Record<string, unknown>;

/** A value for JSON and CSV: exact numerals become numbers, timestamps ISO text. */
function plain(c: Column, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (c.sqlType === "bigint" || c.sqlType === "numeric") return Number(v);
  return v;
}

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`, `-2+3`, `@SUM`,
 * or those after a tab or CR) gets a leading `'`, as OWASP's CSV-injection advice says; numbers stay numbers.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM so spreadsheet programs read the Chinese text right; money as printed by SQL (`1205000.00`). */
export function toCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const cell = (c: Column, raw: unknown) => {
    const v = raw instanceof Date ? raw.toISOString() : raw;
    if (v === null || v === undefined) return "";
    const s = c.sqlType === "text" && typeof v === "string" ? neutralizeFormula(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) => columns.map((c) => cell(c, r[c.name])).join(","));
  return `\uFEFF${[columns.map((c) => c.name).join(","), ...lines].join("\r\n")}\r\n`;
}

export function toJsonl(columns: readonly Column[], rows: readonly Row[]): string {
  const line = (r: Row) =>
    JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, plain(c, r[c.name])])));
  return rows.map(line).join("\n") + (rows.length ? "\n" : "");
}

/** `1205000.5` (numeric text) -> 120500050n at scale 2: exact, whatever the digits. */
export function unscaled(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? "").padEnd(scale, "0");
  if (frac.length > scale && /[^0]/.test(frac.slice(scale)))
    throw new Error(`${text} has more than ${scale} decimals`);
  const n = BigInt(m[2]! + frac.slice(0, scale));
  return m[1] ? -n : n;
}

const DAY_MS = 86_400_000;

/** The Parquet schema element and the values of one column, by its SQL type. */
function parquetColumn(c: Column, values: unknown[]) {
  const base = { name: c.name, repetition_type: "OPTIONAL" as const };
  const map = <T>(f: (v: unknown) => T) => values.map((v) => (v === null || v === undefined ? null : f(v)));
  switch (c.sqlType) {
    case "bigint":
      return {
        element: {
          ...base,
          type: "INT64" as const,
          logical_type: { type: "INTEGER" as const, bitWidth: 64, isSigned: true },
        },
        data: map((v) => BigInt(String(v))),
      };
    case "integer":
      return {
        element: {
          ...base,
          type: "INT32" as const,
          logical_type: { type: "INTEGER" as const, bitWidth: 32, isSigned: true },
        },
        data: map((v) => Number(v)),
      };
    case "numeric": {
      const precision = c.precision ?? 18;
      const scale = c.scale ?? 2;
      return {
        element: {
          ...base,
          type: "INT64" as const,
          converted_type: "DECIMAL" as const,
          precision,
          scale,
          logical_type: { type: "DECIMAL" as const, precision, scale },
        },
        data: map((v) => unscaled(String(v), scale)),
      };
    }
    case "date":
      return {
        element: {
          ...base,
          type: "INT32" as const,
          converted_type: "DATE" as const,
          logical_type: { type: "DATE" as const },
        },
        data: map((v) => Date.parse(`${String(v)}T00:00:00Z`) / DAY_MS),
      };
    case "timestamp with time zone":
      return {
        element: {
          ...base,
          type: "INT64" as const,
          converted_type: "TIMESTAMP_MILLIS" as const,
          logical_type: { type: "TIMESTAMP" as const, isAdjustedToUTC: true, unit: "MILLIS" as const },
        },
        data: map((v) => BigInt((v instanceof Date ? v : new Date(String(v))).getTime())),
      };
    case "boolean":
      return { element: { ...base, type: "BOOLEAN" as const }, data: map((v) => Boolean(v)) };
    case "double precision":
      return { element: { ...base, type: "DOUBLE" as const }, data: map((v) => Number(v)) };
    default:
      return {
        element: {
          ...base,
          type: "BYTE_ARRAY" as const,
          converted_type: "UTF8" as const,
          logical_type: { type: "STRING" as const },
        },
        data: map((v) => String(v)),
      };
  }
}

export async function toParquet(columns: readonly Column[], rows: readonly Row[]): Promise<ArrayBuffer> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const built = columns.map((c) =>
    parquetColumn(
      c,
      rows.map((r) => r[c.name]),
    ),
  );
  return parquetWriteBuffer({
    columnData: built.map((b) => ({ name: b.element.name, data: b.data })),
    // The schema from the SQL types, not inferred from values: an empty table keeps its types.
    schema: [{ name: "root", num_children: built.length }, ...built.map((b) => b.element)],
  });
}
