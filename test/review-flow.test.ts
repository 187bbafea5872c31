import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOptions } from "../src/options.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * Flag-by-flag review through the API: a flag dismissed stays dismissed (and is in the audit
 * trail), rows added and deleted in both families with flags recomputed and moved with their rows,
 * bad rows refused in Chinese, the last decision undone, and a cell's crop.
 */

let ctx: Context;
let app: FastifyInstance;
let cleanup: () => Promise<void>;
const tmp = mkdtempSync(join(tmpdir(), "formex-flow-"));

beforeAll(async () => {
  const t = testConfig("postgres");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1, options: loadOptions({}, {}) });
  app = await buildApi(ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 50 * 1024 * 1024 });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await cleanup?.();
  rmSync(tmp, { recursive: true, force: true });
});

async function ingest(file: string): Promise<number> {
  const s = await submitFile(ctx, file.startsWith("/") ? file : join(ROOT, file));
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>(
    "SELECT f.id FROM forms f JOIN documents d ON d.id = f.document_id WHERE d.sha256 = $1 ORDER BY f.form_index",
    [s.document.sha256],
  );
  return Number(rows[0]!.id);
}

type Flags = Array<{ code: string; field: string | null }>;
const post = (url: string, payload: Record<string, unknown>) => app.inject({ method: "POST", url, payload });
const get = async (id: number) => (await app.inject({ method: "GET", url: `/api/forms/${id}` })).json();
const named = (flags: Flags) => flags.map((f) => `${f.code}@${f.field ?? ""}`);
const trail = async (id: number) =>
  (
    await ctx.db.query<{ field: string; new_value: unknown }>(
      "SELECT field, new_value FROM corrections WHERE form_id = $1 ORDER BY id",
      [id],
    )
  ).rows;

describe("flag-by-flag review (sh-perf-2018, c034: a sub-project missed, the end date before the start)", () => {
  let id: number;
  beforeAll(async () => {
    id = await ingest("fixtures/corpus/pdf/c034.pdf");
  });

  it("dismisses a flag, audited, and it stays dismissed when a later edit recomputes the flags", async () => {
    const before = await get(id);
    expect(named(before.current.flags)).toContain("DATE_ORDER@form.endDate");
    const r = await post(`/api/forms/${id}/dismissals`, {
      code: "TRUNCATED_TEXT",
      field: "form.overview",
      version: before.version,
    });
    expect(r.statusCode).toBe(200);
    expect(named(r.json().flags)).not.toContain("TRUNCATED_TEXT@form.overview");
    expect(r.json().view.flagList).toContain("DATE_ORDER");
    expect((await trail(id)).map((t) => t.field)).toContain("flag:TRUNCATED_TEXT@form.overview");
    // A later edit recomputes the flags from the extraction: the dismissal still holds.
    const edit = await post(`/api/forms/${id}/corrections`, {
      field: "form.basis",
      value: "改过的依据",
      version: r.json().version,
    });
    expect(edit.statusCode).toBe(200);
    expect(named(edit.json().flags)).not.toContain("TRUNCATED_TEXT@form.overview");
    expect(named(edit.json().flags)).toContain("DATE_ORDER@form.endDate");
    // A flag the form does not carry is refused, in Chinese.
    const again = await post(`/api/forms/${id}/dismissals`, {
      code: "TRUNCATED_TEXT",
      field: "form.overview",
      version: edit.json().version,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toContain("没有这个标记");
  });

  it("adds a missed sub-project (the sum mismatch goes), refuses a bad row in Chinese, deletes a row", async () => {
    const v = (await get(id)).version;
    const bad = await post(`/api/forms/${id}/rows`, {
      table: "subProjects",
      values: { name: "", amount: "abc" },
      version: v,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("子项目名称不能为空");
    expect(bad.json().message).toContain("金额无法识别：abc");
    const wrongTable = await post(`/api/forms/${id}/rows`, { table: "nope", values: {}, version: v });
    expect(wrongTable.json().message).toContain("不是本表单的表格");

    const add = await post(`/api/forms/${id}/rows`, {
      table: "subProjects",
      at: 0,
      values: { name: "漏读的子项目", amount: "100" },
      version: v,
    });
    expect(add.statusCode).toBe(200);
    expect(add.json().path).toBe("form.subProjects[0]");
    expect(add.json().form.subProjects).toHaveLength(10);
    expect(add.json().form.subProjects[0]).toEqual({ name: "漏读的子项目", amount: 100 });
    expect(named(add.json().flags)).not.toContain("SUBPROJECT_SUM_MISMATCH@form.subProjects");
    // Where the rows below were read moved with them: the old first row is now the second.
    const was = (await get(id)).extraction.fields["form.subProjects[0].amount"];
    expect(add.json().view.where["form.subProjects[1].amount"]).toEqual(was);
    expect(add.json().view.fields).toContain("漏读的子项目");

    const del = await post(`/api/forms/${id}/rows/delete`, {
      table: "subProjects",
      index: 0,
      version: add.json().version,
    });
    expect(del.statusCode).toBe(200);
    expect(del.json().form.subProjects).toHaveLength(9);
    expect(named(del.json().flags)).toContain("SUBPROJECT_SUM_MISMATCH@form.subProjects");
    const rows = (await trail(id)).filter((t) => t.field === "form.subProjects[0]");
    expect(rows.map((t) => t.new_value)).toEqual([{ name: "漏读的子项目", amount: 100 }, null]);
    const gone = await post(`/api/forms/${id}/rows/delete`, {
      table: "subProjects",
      index: 40,
      version: del.json().version,
    });
    expect(gone.json().message).toContain("没有这一行");
  });

  it("undoes the last decision (audited); a form waiting for review has none to undo", async () => {
    const v = (await get(id)).version;
    const ok = await post(`/api/forms/${id}/review`, { status: "approved", version: v });
    const undo = await post(`/api/forms/${id}/undo`, { version: ok.json().version });
    expect(undo.statusCode).toBe(200);
    expect(undo.json().status).toBe("pending");
    expect((await get(id)).reviewStatus).toBe("pending");
    const last = (await trail(id)).at(-1);
    expect(last).toEqual({ field: "review_status", new_value: "pending" });
    const none = await post(`/api/forms/${id}/undo`, { version: undo.json().version });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toContain("无可撤销");
  });

  it("cuts the box asked for at twice the page image's scale (a drawn page), bounded; refuses a bad box", async () => {
    const where = (await get(id)).current.fields["form.endDate"];
    const r = await app.inject({ url: `/forms/${id}/crops/${where.page}.png?bbox=${where.bbox.join(",")}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("image/png");
    const width = r.rawPayload.readUInt32BE(16);
    expect(width).toBe(Math.ceil(where.bbox[2] * 3) - Math.floor(where.bbox[0] * 3));
    const huge = await app.inject({ url: `/forms/${id}/crops/1.png?bbox=0,0,99999,99999` });
    expect(huge.rawPayload.readUInt32BE(16)).toBe(800 * 3);
    expect((await app.inject({ url: `/forms/${id}/crops/1.png?bbox=1,2,3` })).statusCode).toBe(400);
    expect((await app.inject({ url: `/forms/${id}/crops/9.png?bbox=1,2,3,4` })).statusCode).toBe(404);
  });

  it("the form page shows the flag panel's data and every cell of a sum mismatch", async () => {
    const html = (await app.inject({ url: `/forms/${id}` })).body;
    expect(html).toContain('id="flag-panel"');
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]!);
    const sum = data.flags.find((f: { code: string }) => f.code === "SUBPROJECT_SUM_MISMATCH");
    expect(sum.label).toBe("项目当年投入资金构成");
    expect(sum.editPath).toBe("form.currentYearBudget");
    expect(sum.table).toBe("subProjects");
    expect(sum.cells.map((c: { path: string }) => c.path)).toEqual([
      "form.currentYearBudget",
      ...Array.from({ length: 9 }, (_, i) => `form.subProjects[${i}].amount`),
    ]);
    const date = data.flags.find((f: { code: string }) => f.code === "DATE_ORDER");
    expect(date.label).toBe("结束时间");
    expect(date.input.text).toBe("2018-03-31");
    expect(date.confidence).toBe(1);
  });
});

describe("the new routes' safety", () => {
  it("refuse another site's post; a row named like markup is shown escaped", async () => {
    const id = await ingest("fixtures/corpus/pdf/c003.pdf");
    const x = await get(id);
    const evil = await app.inject({
      method: "POST",
      url: `/api/forms/${id}/undo`,
      payload: { version: x.version },
      headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe("CROSS_ORIGIN");
    const add = await post(`/api/forms/${id}/rows`, {
      table: "subProjects",
      values: { name: '<img src=x onerror="alert(1)">', amount: "100" },
      version: x.version,
    });
    expect(add.statusCode).toBe(200);
    expect(add.json().view.fields).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(add.json().view.fields).not.toContain("<img src=x");
    const html = (await app.inject({ url: `/forms/${id}` })).body;
    expect(html).not.toContain("<img src=x");
  });
});

describe("rows in mof-project (m3: an indicator under the wrong level)", () => {
  it("flags and dismissals move with their rows as rows above come and go; bad rows refused", async () => {
    const id = await ingest("fixtures/mof/m3-alone-flags.pdf");
    const x = await get(id);
    const level = (r: { json(): { flags: Flags } }) =>
      named(r.json().flags).filter((f) => f.startsWith("INDICATOR_LEVEL_INVALID"));
    expect(named(x.current.flags)).toContain("INDICATOR_LEVEL_INVALID@form.indicators[2].level2");
    const del = await post(`/api/forms/${id}/rows/delete`, {
      table: "indicators",
      index: 0,
      version: x.version,
    });
    expect(del.statusCode).toBe(200);
    expect(level(del)).toEqual(["INDICATOR_LEVEL_INVALID@form.indicators[1].level2"]);
    const add = await post(`/api/forms/${id}/rows`, {
      table: "indicators",
      at: 0,
      values: { level1: "产出指标", level2: "质量指标", name: "合格率", target: "≥95%" },
      version: del.json().version,
    });
    expect(add.statusCode).toBe(200);
    expect(level(add)).toEqual(["INDICATOR_LEVEL_INVALID@form.indicators[2].level2"]);
    const row = add.json().form.indicators[0];
    expect(row).toMatchObject({ level1: "产出指标", level2: "质量指标", name: "合格率", target: "≥95%" });
    expect(row.parsed).not.toBeNull();
    const dismiss = await post(`/api/forms/${id}/dismissals`, {
      code: "INDICATOR_LEVEL_INVALID",
      field: "form.indicators[2].level2",
      version: add.json().version,
    });
    expect(level(dismiss)).toEqual([]);
    // The row above goes: the dismissed flag's row is now [1], and it stays dismissed.
    const above = await post(`/api/forms/${id}/rows/delete`, {
      table: "indicators",
      index: 0,
      version: dismiss.json().version,
    });
    expect(above.statusCode).toBe(200);
    expect(level(above)).toEqual([]);
    expect(above.json().form.indicators[1].level2).toBe(x.current.form.indicators[2].level2);
    const wrongColumn = await post(`/api/forms/${id}/rows`, {
      table: "indicators",
      values: { level1: "产出指标", target: "1", unit: "个" },
      version: above.json().version,
    });
    expect(wrongColumn.statusCode).toBe(400);
    expect(wrongColumn.json().message).toBe("不是本表格的列：unit");
    const noName = await post(`/api/forms/${id}/rows`, {
      table: "indicators",
      values: { level1: "产出指标", target: "1" },
      version: above.json().version,
    });
    expect(noName.json().message).toBe("三级指标不能为空");
  });

  it("deleting the flagged row itself takes its flag with it", async () => {
    // A second copy of m3 (a comment after %%EOF: another file, the same form).
    const copy = join(tmp, "m3-copy.pdf");
    writeFileSync(
      copy,
      Buffer.concat([readFileSync(join(ROOT, "fixtures/mof/m3-alone-flags.pdf")), Buffer.from("\n% copy\n")]),
    );
    const id = await ingest(copy);
    const x = await get(id);
    expect(named(x.current.flags)).toContain("INDICATOR_LEVEL_INVALID@form.indicators[2].level2");
    const own = await post(`/api/forms/${id}/rows/delete`, {
      table: "indicators",
      index: 2,
      version: x.version,
    });
    expect(own.statusCode).toBe(200);
    expect(named(own.json().flags).filter((f) => f.startsWith("INDICATOR_LEVEL_INVALID"))).toEqual([]);
    expect(own.json().form.indicators).toHaveLength(x.current.form.indicators.length - 1);
  });
});
