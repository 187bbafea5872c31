import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exportTableNames, exportTables, readTable } from "../src/export/export.js";
import { applyCorrection, reviewForm } from "../src/review/corrections.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * docs/data.md is what is written: every exported table's columns, in order, with the SQL type
 * of the view and the physical/logical type a Parquet reader (hyparquet) finds in the file, on
 * a database with both families' forms, corrections and decisions, and on an empty one.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `## forms — …` sections: each table's documented columns and types, in order. */
function documented(): Map<string, Array<{ name: string; type: string }>> {
  const out = new Map<string, Array<{ name: string; type: string }>>();
  let table: string | null = null;
  for (const line of readFileSync(join(ROOT, "docs/data.md"), "utf8").split("\n")) {
    const head = /^## (\w+) — /.exec(line);
    if (head) {
      table = head[1]!;
      out.set(table, []);
      continue;
    }
    const row = /^\| `(\w+)` \| ([^|]+?) \|/.exec(line);
    if (table && row) out.get(table)!.push({ name: row[1]!, type: row[2]! });
  }
  return out;
}

const SQL: Record<string, { data_type: string; precision?: number; scale?: number }> = {
  int64: { data_type: "bigint" },
  int32: { data_type: "integer" },
  "decimal(18,2)": { data_type: "numeric", precision: 18, scale: 2 },
  date: { data_type: "date" },
  timestamp: { data_type: "timestamp with time zone" },
  boolean: { data_type: "boolean" },
  double: { data_type: "double precision" },
  text: { data_type: "text" },
};

const PARQUET: Record<string, { type: string; logical?: Record<string, unknown> }> = {
  int64: { type: "INT64", logical: { type: "INTEGER", bitWidth: 64, isSigned: true } },
  int32: { type: "INT32", logical: { type: "INTEGER", bitWidth: 32, isSigned: true } },
  "decimal(18,2)": { type: "INT64", logical: { type: "DECIMAL", precision: 18, scale: 2 } },
  date: { type: "INT32", logical: { type: "DATE" } },
  timestamp: { type: "INT64", logical: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } },
  boolean: { type: "BOOLEAN" },
  double: { type: "DOUBLE" },
  text: { type: "BYTE_ARRAY", logical: { type: "STRING" } },
};

const arrayBuffer = (path: string) => {
  const buf = readFileSync(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
};

async function checkAgainstDocs(ctx: Context, dir: string): Promise<Record<string, number>> {
  const { parquetMetadata } = await import("hyparquet");
  const docs = documented();
  const counts = await exportTables(ctx.db, "parquet", dir);
  expect(Object.keys(counts)).toEqual(exportTableNames());
  expect([...docs.keys()].sort()).toEqual(exportTableNames().sort());
  for (const table of exportTableNames()) {
    const want = docs.get(table)!;
    const { columns } = await readTable(ctx.db, table);
    expect(
      columns.map((c) => c.name),
      table,
    ).toEqual(want.map((w) => w.name));
    for (const [i, c] of columns.entries()) {
      const sql = SQL[want[i]!.type];
      expect(sql, `${table}.${c.name}: documented type ${want[i]!.type}`).toBeDefined();
      expect(
        { data_type: c.sqlType, ...(sql!.precision ? { precision: c.precision, scale: c.scale } : {}) },
        `${table}.${c.name}`,
      ).toEqual(sql);
    }
    const schema = parquetMetadata(arrayBuffer(join(dir, `${table}.parquet`))).schema.slice(1);
    expect(
      schema.map((s) => s.name),
      table,
    ).toEqual(want.map((w) => w.name));
    for (const [i, s] of schema.entries()) {
      const p = PARQUET[want[i]!.type]!;
      expect({ type: s.type, logical: s.logical_type }, `${table}.${s.name}`).toEqual({
        type: p.type,
        logical: p.logical,
      });
    }
  }
  return counts;
}

describe.each(["pglite", "postgres"] as const)("typed exports (%s)", (backend) => {
  it("match docs/data.md column by column, typed in the views and the Parquet files, empty or not", async () => {
    const t = testConfig(backend);
    cleanups.push(t.cleanup);
    const ctx = await openContext(t.config, { workers: 1 });
    cleanups.push(() => ctx.close());
    const empty = await checkAgainstDocs(ctx, join(t.config.dataDir, "empty"));
    expect(Object.values(empty).every((n) => n === 0)).toBe(true);

    for (const f of ["fixtures/pdf/f1-ballot-glyphs.pdf", "fixtures/mof/m3-alone-flags.pdf"]) {
      const s = await submitFile(ctx, join(ROOT, f));
      await processDocument(ctx, s.document.sha256);
    }
    const { rows: ids } = await ctx.db.query<{ id: string; template: string }>(
      "SELECT id::text AS id, extraction->>'template' AS template FROM forms ORDER BY id",
    );
    const shId = Number(ids.find((r) => r.template === "sh-perf-2018")!.id);
    const mofId = Number(ids.find((r) => r.template === "mof-project")!.id);
    const edit = { reviewer: "测试", policy: ctx.options.review };
    await applyCorrection(ctx.db, shId, { ...edit, field: "form.totalBudget", value: 4200000.5, version: 1 });
    await reviewForm(ctx.db, shId, { status: "approved", version: 2, reviewer: "测试" });
    const counts = await checkAgainstDocs(ctx, join(t.config.dataDir, "full"));
    expect(counts).toMatchObject({ forms: 2, sh_perf_2018_forms: 1, mof_project_forms: 1, corrections: 2 });

    const { parquetReadObjects } = await import("hyparquet");
    const read = async (table: string) =>
      parquetReadObjects({ file: arrayBuffer(join(t.config.dataDir, "full", `${table}.parquet`)) });
    const forms = await read("forms");
    const sh = forms.find((r) => r.form_id === BigInt(shId))!;
    // Exact money, an approved form counted clean, a real timestamp.
    expect(sh).toMatchObject({
      total_budget: 4200000.5,
      review_status: "clean",
      needs_review: false,
      corrected: true,
    });
    expect(sh.reviewed_at).toBeInstanceOf(Date);
    const mof = (await read("mof_project_forms"))[0]!;
    expect(mof).toMatchObject({
      form_id: BigInt(mofId),
      funds_total: 600000,
      funds_fiscal: 500000,
      funds_other: 80000,
      department: "某市文化和旅游局",
    });
    const shForm = (await read("sh_perf_2018_forms"))[0]!;
    expect(shForm.start_date).toEqual(new Date("2018-01-01T00:00:00Z"));
    const indicators = await read("indicators");
    expect(indicators.filter((r) => r.template === "mof-project").map((r) => r.level1)).toContain("产出指标");
    expect(indicators.filter((r) => r.template === "sh-perf-2018").every((r) => r.level1 === null)).toBe(
      true,
    );
    // A flag names its row as keys, not as a path to parse.
    const level = (await read("flags")).find((r) => r.code === "INDICATOR_LEVEL_INVALID")!;
    expect(level).toMatchObject({ form_id: BigInt(mofId), indicator_index: 2, sub_project_index: null });
    const row = indicators.find((r) => r.form_id === BigInt(mofId) && r.indicator_index === 2)!;
    expect(row.level2).toBeTruthy();
  });
});
