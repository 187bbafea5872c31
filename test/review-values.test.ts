import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEditValue } from "../src/review/edit-values.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { MOF_PROJECT } from "../src/templates/mof-project.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/** Issue 10 item 3: edits that cannot go wrong silently (read as printed, refused in Chinese, audited). */

describe("a reviewer's value is read by its field's kind", () => {
  const sh = (path: string, value: unknown) => readEditValue(SH_PERF_2018, path, value);
  const mof = (path: string, value: unknown) => readEditValue(MOF_PROJECT, path, value);

  it.each([
    ["2018年12月31日", "2018-12-31"],
    ["2018.12.31", "2018-12-31"],
    ["2018/12/31", "2018-12-31"],
    ["２０１８年３月１日", "2018-03-01"],
    ["2018-01-05", "2018-01-05"],
  ])("date %s is %s", (text, iso) => {
    expect(sh("form.startDate", text)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ["1,234.50", 1234.5],
    ["1234.5元", 1234.5],
    ["12.5万元", 125000],
    ["4100000", 4100000],
  ])("money %s in a 元 field is %s yuan", (text, yuan) => {
    expect(sh("form.totalBudget", text)).toEqual({ ok: true, value: yuan });
    expect(sh("form.subProjects[0].amount", text)).toEqual({ ok: true, value: yuan });
  });

  it.each([
    ["12.5", 125000],
    ["12.5万元", 125000],
    ["1,234.5元", 1234.5],
  ])("money %s in a 万元 field is %s yuan", (text, yuan) => {
    expect(mof("form.funds.total", text)).toEqual({ ok: true, value: yuan });
  });

  it("a JSON number for money is yuan already; an empty box is no value", () => {
    expect(mof("form.funds.total", 600000)).toEqual({ ok: true, value: 600000 });
    expect(sh("form.totalBudget", "  ")).toEqual({ ok: true, value: null });
  });

  it.each([
    ["form.totalBudget", "abc", /^金额无法识别：abc/],
    ["form.totalBudget", "12.5美元", /^金额无法识别/],
    ["form.funds.total", "abc", /本栏以万元为单位/],
    ["form.startDate", "2018-13-45", /^日期无法识别或不存在：2018-13-45/],
    ["form.endDate", "2018年2月30日", /^日期无法识别或不存在/],
    ["form.startDate", 20181231, /^日期须为文字/],
    ["form.year", "明年", /^年度无法识别/],
    ["form.year", "18", /^年度无法识别/],
    ["form.indicators[0].category", "不存在的类别", /^分解目标内容须为以下之一：投入和管理目标、产出目标/],
    ["form.fundUse", ["不存在的选项"], /^不是本栏的选项/],
    ["form.projectName", 42, /^须为文字/],
    ["form.nothing", "x", /^不是可编辑的字段/],
    ["form.indicators", [], /^不是可编辑的字段/],
  ])("%s = %j is refused in Chinese", (path, value, reason) => {
    const r = readEditValue(path.startsWith("form.funds") ? MOF_PROJECT : SH_PERF_2018, path, value);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.message).toMatch(reason);
  });

  it("the year reads as 2019 or 2019年; a level as one of its values, or free where the template lists none", () => {
    expect(sh("form.year", "2019年")).toEqual({ ok: true, value: 2019 });
    expect(sh("form.year", 2019)).toEqual({ ok: true, value: 2019 });
    expect(sh("form.indicators[1].category", "效果目标")).toEqual({ ok: true, value: "效果目标" });
    expect(mof("form.indicators[2].level2", "社会效益指标")).toEqual({ ok: true, value: "社会效益指标" });
  });
});

let ctx: Context;
let app: FastifyInstance;
let cleanup: () => Promise<void>;
let sh: number;
let mof: number;

async function ingest(file: string): Promise<number> {
  const s = await submitFile(ctx, join(ROOT, file));
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>(
    "SELECT f.id FROM forms f JOIN documents d ON d.id = f.document_id WHERE d.sha256 = $1 ORDER BY f.form_index",
    [s.document.sha256],
  );
  return Number(rows[0]!.id);
}

beforeAll(async () => {
  const t = testConfig("postgres");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1 });
  app = await buildApi(ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 1e7 });
  sh = await ingest("fixtures/pdf/bundle-4forms.pdf");
  mof = await ingest("fixtures/mof/m3-alone-flags.pdf");
});
afterAll(async () => {
  await app.close();
  await ctx.close();
  await cleanup();
});

interface FormBody {
  version: number;
  current: { form: Record<string, unknown>; flags: Array<{ code: string; field: string | null }> };
}
const get = async (id: number) =>
  (await app.inject({ method: "GET", url: `/api/forms/${id}` })).json() as FormBody;
const edit = async (id: number, field: string, value: unknown) =>
  app.inject({
    method: "POST",
    url: `/api/forms/${id}/corrections`,
    payload: { field, value, version: (await get(id)).version },
  });
const trail = async (id: number) =>
  (
    await ctx.db.query<{ field: string; old_value: unknown; new_value: unknown }>(
      "SELECT field, old_value, new_value FROM corrections WHERE form_id = $1 ORDER BY id",
      [id],
    )
  ).rows.map((r) => [r.field, r.old_value, r.new_value]);
const flagsAt = (body: FormBody, code: string) =>
  body.current.flags.filter((f) => f.code === code).map((f) => f.field);

describe("through the API", () => {
  it("refuses abc for money and 2018-13-45 for a date: 400 INVALID_EDIT, the reason in Chinese, nothing stored", async () => {
    const before = await get(sh);
    for (const [field, value, reason] of [
      ["form.totalBudget", "abc", "金额无法识别：abc"],
      ["form.startDate", "2018-13-45", "日期无法识别或不存在：2018-13-45"],
      ["form.indicators[0].category", "随便", "分解目标内容须为以下之一"],
    ] as const) {
      const res = await edit(sh, field, value);
      expect([res.statusCode, res.json().code]).toEqual([400, "INVALID_EDIT"]);
      expect(res.json().message).toContain(reason);
      expect(res.json().issues).toEqual([{ path: field, message: res.json().message }]);
    }
    expect((await get(sh)).version).toBe(before.version);
    expect(await trail(sh)).toEqual([]);
  });

  it("stores dates and money as printed, normalized, and the audit row holds the stored value", async () => {
    const dates = await edit(sh, "form.startDate", "2018年3月1日");
    expect(dates.statusCode).toBe(200);
    expect(dates.json().form.startDate).toBe("2018-03-01");
    expect((await edit(sh, "form.endDate", "2018.12.31")).json().form.endDate).toBe("2018-12-31");
    const small = (await edit(sh, "form.totalBudget", "1,234.50")).json();
    expect(small.form.totalBudget).toBe(1234.5);
    // Under the current-year budget now: the cross-checks were redone on the edited value.
    expect(small.flags.map((f: { code: string }) => f.code)).toContain("CURRENT_EXCEEDS_TOTAL");
    expect((await edit(sh, "form.totalBudget", "412万元")).json().form.totalBudget).toBe(4120000);
    const rows = await trail(sh);
    expect(rows.slice(0, 2).map((r) => [r[0], r[2]])).toEqual([
      ["form.startDate", "2018-03-01"],
      ["form.endDate", "2018-12-31"],
    ]);
    expect(rows.slice(2).map((r) => r[2])).toEqual([1234.5, 4120000]);
    // ...and redone again when it is back above it.
    expect(flagsAt(await get(sh), "CURRENT_EXCEEDS_TOTAL")).toEqual([]);
  });

  it("the year is edited as an audited correction and the date checks are redone against it", async () => {
    const before = await get(sh);
    expect(before.current.form.year).toBe(2018);
    expect(flagsAt(before, "DATE_OUTSIDE_YEAR")).toEqual([]);
    const res = await edit(sh, "form.year", "2019年");
    expect(res.statusCode).toBe(200);
    expect(res.json().form.year).toBe(2019);
    expect(flagsAt(await get(sh), "DATE_OUTSIDE_YEAR")).toEqual(["form.startDate", "form.endDate"]);
    expect((await trail(sh)).at(-1)).toEqual(["form.year", 2018, 2019]);
    await edit(sh, "form.year", 2018);
    expect(flagsAt(await get(sh), "DATE_OUTSIDE_YEAR")).toEqual([]);
  });

  it("an indicator's category is edited as an audited correction; emptying it is MISSING_FIELD", async () => {
    const path = "form.indicators[0].category";
    const res = await edit(sh, path, "效果目标");
    expect(res.statusCode).toBe(200);
    expect((res.json().form.indicators as Array<{ category: string }>)[0]!.category).toBe("效果目标");
    expect((await trail(sh)).at(-1)).toEqual([path, "投入和管理目标", "效果目标"]);
    expect(flagsAt(await get(sh), "MISSING_FIELD")).not.toContain(path);
    await edit(sh, path, "");
    expect(flagsAt(await get(sh), "MISSING_FIELD")).toContain(path);
  });

  it("mof-project: a level edit redoes INDICATOR_LEVEL_INVALID, an amount in 万元 redoes FUNDS_SUM_MISMATCH", async () => {
    const before = await get(mof);
    expect(flagsAt(before, "INDICATOR_LEVEL_INVALID")).toEqual(["form.indicators[2].level2"]);
    expect(flagsAt(before, "FUNDS_SUM_MISMATCH")).toEqual(["form.funds.total"]);
    expect((await edit(mof, "form.indicators[2].level2", "社会效益指标")).statusCode).toBe(200);
    expect((await edit(mof, "form.funds.fiscal", "52")).json().form.funds).toEqual({
      total: 600000,
      fiscal: 520000,
      other: 80000,
    });
    const after = await get(mof);
    expect(after.current.flags).toEqual([]);
    expect(await trail(mof)).toEqual([
      ["form.indicators[2].level2", "数量指标", "社会效益指标"],
      ["form.funds.fiscal", 500000, 520000],
    ]);
  });
});
