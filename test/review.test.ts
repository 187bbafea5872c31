import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { exportTables } from "../src/export/export.js";
import { loadOptions } from "../src/options.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT, runCli } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `review`: the review policy (`--review-codes`), the default unless given. */
async function setup(
  env: Record<string, string> = {},
  review?: string,
): Promise<{ ctx: Context; app: FastifyInstance; dir: string }> {
  const t = testConfig("postgres");
  cleanups.push(t.cleanup);
  const ctx = await openContext(t.config, { workers: 1, options: loadOptions({}, { review }) });
  cleanups.push(() => ctx.close());
  const app = await buildApi(ctx, {
    queue: null,
    reviewers: loadReviewers(env),
    maxUploadBytes: 50 * 1024 * 1024,
  });
  cleanups.push(() => app.close());
  const dir = mkdtempSync(join(tmpdir(), "formex-review-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { ctx, app, dir };
}

async function ingest(ctx: Context, file: string): Promise<number> {
  const s = await submitFile(ctx, file);
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>(
    "SELECT f.id FROM forms f JOIN documents d ON d.id = f.document_id WHERE d.sha256 = $1 ORDER BY f.form_index",
    [s.document.sha256],
  );
  return Number(rows[0]!.id);
}

const post = (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers });

describe("corrections", () => {
  it("keep the extraction, apply the edit, recompute flags, write the audit row, and refuse a stale edit", async () => {
    const { ctx, app } = await setup();
    const id = await ingest(ctx, join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf"));
    const before = (await app.inject({ method: "GET", url: `/api/forms/${id}` })).json();
    expect(before.version).toBe(1);
    expect(
      before.current.flags.map((f: { code: string; field: string }) => `${f.code}@${f.field}`),
    ).toContain("TRUNCATED_TEXT@form.overview");

    const full = `${before.current.form.overview}力。`;
    const edit = await post(app, `/api/forms/${id}/corrections`, {
      field: "form.overview",
      value: full,
      version: 1,
      comment: "补全",
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().version).toBe(2);
    const codes = edit.json().flags.map((f: { code: string; field: string }) => `${f.code}@${f.field}`);
    expect(codes).not.toContain("TRUNCATED_TEXT@form.overview");
    expect(codes).toContain("TRUNCATED_TEXT@form.basis"); // untouched cells keep their flags

    const sum = await post(app, `/api/forms/${id}/corrections`, {
      field: "form.subProjects[0].amount",
      value: 2800000,
      version: 2,
    });
    expect(sum.json().flags.map((f: { code: string }) => f.code)).toContain("SUBPROJECT_SUM_MISMATCH");

    const stale = await post(app, `/api/forms/${id}/corrections`, {
      field: "form.projectName",
      value: "x",
      version: 2,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/已被他人修改.*重新载入/);

    const after = (await app.inject({ method: "GET", url: `/api/forms/${id}` })).json();
    expect(after.extraction.form.overview).toBe(before.current.form.overview);
    expect(after.current.form.overview).toBe(full);
    const { rows } = await ctx.db.query<{
      field: string;
      reviewer: string;
      comment: string | null;
      old_value: unknown;
      new_value: unknown;
    }>(
      "SELECT field, reviewer, comment, old_value, new_value FROM corrections WHERE form_id = $1 ORDER BY id",
      [id],
    );
    expect(rows.map((r) => [r.field, r.reviewer, r.comment])).toEqual([
      ["form.overview", "local", "补全"],
      ["form.subProjects[0].amount", "local", null],
    ]);
    expect(rows[1]!.old_value).toBe(2900000);
    expect(rows[1]!.new_value).toBe(2800000);
  });

  it("rejects a value the schema refuses, with the field and the reason", async () => {
    const { ctx, app } = await setup();
    const id = await ingest(ctx, join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf"));
    const bad = await post(app, `/api/forms/${id}/corrections`, {
      field: "form.startDate",
      value: "明年春天",
      version: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe("form.startDate");
    const badOption = await post(app, `/api/forms/${id}/corrections`, {
      field: "form.fundUse",
      value: ["不存在的类别"],
      version: 1,
    });
    expect(badOption.statusCode).toBe(400);
  });
});

describe("the review page", () => {
  it("renders a script tag from a form's text as text", async () => {
    // Its only flags are cut text: a policy that queues those puts it on the queue page too.
    const { ctx, app, dir } = await setup({}, "default,TRUNCATED_TEXT");
    const seed = readFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), "utf8");
    const form1 = seed.slice(0, seed.indexOf("上海市财政支出项目绩效目标申报表", 10));
    const file = join(dir, "xss.txt");
    writeFileSync(
      file,
      form1.replace(
        "项目名称\t学会改革和发展",
        `项目名称\t<script>alert("x")</script><img src=x onerror=alert(1)>`,
      ),
    );
    const id = await ingest(ctx, file);
    for (const url of ["/", `/forms/${id}`]) {
      const html = (await app.inject({ method: "GET", url })).body;
      expect(html).toContain(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
      );
      expect(html).not.toContain('<script>alert("x")');
      expect(html).not.toContain("<img src=x");
    }
  });

  it("refuses requests without a token when reviewers are configured, and names the reviewer in the audit", async () => {
    const { ctx, app } = await setup({ FORMEX_REVIEWERS: "alice:tok-a,bob:tok-b" });
    const id = await ingest(ctx, join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf"));
    expect((await app.inject({ method: "GET", url: "/" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/api/forms" })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: "GET", url: "/", headers: { authorization: "Bearer wrong" } })).statusCode,
    ).toBe(401);
    const login = await app.inject({ method: "GET", url: "/?token=tok-b" });
    expect(login.statusCode).toBe(302);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    expect((await app.inject({ method: "GET", url: "/", headers: { cookie } })).statusCode).toBe(200);
    await post(
      app,
      `/api/forms/${id}/corrections`,
      { field: "form.projectName", value: "学会改革与发展", version: 1 },
      { cookie },
    );
    const { rows } = await ctx.db.query<{ reviewer: string }>("SELECT reviewer FROM corrections");
    expect(rows.map((r) => r.reviewer)).toEqual(["bob"]);
  });

  it("will not listen beyond localhost without a token", async () => {
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("set FORMEX_TOKEN or FORMEX_REVIEWERS");
  });
});

describe("exports", () => {
  it("write tidy tables with corrections applied: CSV with the documented columns, Parquet that reads back", async () => {
    const { ctx, app, dir } = await setup();
    const id = await ingest(ctx, join(ROOT, "fixtures/pdf/bundle-4forms.pdf"));
    await post(app, `/api/forms/${id}/corrections`, {
      field: "form.totalBudget",
      value: 4200000,
      version: 1,
      comment: "核对原件",
    });
    await post(app, `/api/forms/${id}/review`, { status: "approved", version: 2, comment: "ok" });

    const counts = await exportTables(ctx.db, "csv", join(dir, "csv"));
    expect(counts).toMatchObject({
      forms: 4,
      sh_perf_2018_forms: 4,
      mof_project_forms: 0,
      sub_projects: 15,
      indicators: 9 + 12 + 13 + 14,
      corrections: 2, // the edit, then the approval
    });
    const csv = readFileSync(join(dir, "csv/forms.csv"), "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const header = csv.slice(1).split("\r\n")[0]!.split(",");
    expect(header.slice(0, 8)).toEqual([
      "form_id",
      "document_id",
      "file",
      "sha256",
      "form_index",
      "template",
      "pages",
      "year",
    ]);
    expect(header).toEqual(
      expect.arrayContaining([
        "total_budget",
        "current_year_budget",
        "review_status",
        "corrected",
        "applicant",
      ]),
    );
    const first = csv.slice(1).split("\r\n")[1]!;
    expect(first).toContain("4200000.00");
    expect(first).toContain(",clean,"); // approved: clean for analysis
    const family = readFileSync(join(dir, "csv/sh_perf_2018_forms.csv"), "utf8");
    expect(family.slice(1).split("\r\n")[0]!.split(",")).toEqual(
      expect.arrayContaining(["project_type", "start_date"]),
    );
    const corrections = readFileSync(join(dir, "csv/corrections.csv"), "utf8");
    expect(corrections).toContain("form.totalBudget");
    expect(corrections).toContain("核对原件");
    expect(readFileSync(join(dir, "csv/indicators.csv"), "utf8").split("\r\n")[0]).toBe(
      "\uFEFFform_id,indicator_index,template,category,level1,level2,name,target,op,value,min,max,unit",
    );

    await exportTables(ctx.db, "parquet", join(dir, "parquet"));
    const { parquetReadObjects } = await import("hyparquet");
    const buf = readFileSync(join(dir, "parquet/forms.parquet"));
    const rows = await parquetReadObjects({
      file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
    });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      form_id: BigInt(id),
      total_budget: 4200000,
      review_status: "clean",
      project_name: "学会改革和发展",
    });
    const subs = readFileSync(join(dir, "parquet/sub_projects.parquet"));
    const subRows = await parquetReadObjects({
      file: subs.buffer.slice(subs.byteOffset, subs.byteOffset + subs.byteLength),
    });
    expect(subRows[0]).toMatchObject({ name: "星级学会示范及规范化评估", amount: 2900000 });
  });
});
