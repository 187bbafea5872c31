import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTables } from "../src/export/export.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/** Issue 11, defect 7: exports a spreadsheet cannot be tricked by, edits that make sense, decisions on record. */

let ctx: Context;
let app: FastifyInstance;
let dir: string;
let cleanup: () => Promise<void>;
let formIds: number[];

beforeAll(async () => {
  const t = testConfig("postgres");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1 });
  app = await buildApi(ctx, {
    queue: null,
    reviewers: loadReviewers({ FORMEX_REVIEWERS: "alice:tok-a" }),
    maxUploadBytes: 1e7,
  });
  dir = mkdtempSync(join(tmpdir(), "formex-review-edges-"));
  const s = await submitFile(ctx, join(ROOT, "fixtures/pdf/bundle-4forms.pdf"));
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>("SELECT id FROM forms ORDER BY id");
  formIds = rows.map((r) => Number(r.id));
});
afterAll(async () => {
  await app.close();
  await ctx.close();
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { authorization: "Bearer tok-a" };
const post = (url: string, payload: Record<string, unknown>) =>
  app.inject({ method: "POST", url, payload, headers: auth });
const versionOf = async (id: number) =>
  (
    (await app.inject({ method: "GET", url: `/api/forms/${id}`, headers: auth })).json() as {
      version: number;
    }
  ).version;

describe("exports and corrections", () => {
  it("CSV cells that start with = + - @ are neutralized", async () => {
    const id = formIds[0]!;
    const values = ['=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"];
    const fields = ["form.applicant", "form.projectName", "form.remarks", "form.overview"];
    for (const [i, value] of values.entries()) {
      const res = await post(`/api/forms/${id}/corrections`, {
        field: fields[i],
        value,
        version: await versionOf(id),
      });
      expect(res.statusCode).toBe(200);
    }
    await exportTables(ctx.db, "csv", join(dir, "csv"));
    // The family's table holds every field the edits touched (forms.csv only the generic ones).
    const csv = readFileSync(join(dir, "csv/sh_perf_2018_forms.csv"), "utf8");
    const cells = csv.split(/,|\r\n/).map((c) => c.replace(/^"|"$/g, ""));
    for (const v of values) {
      const quoted = v.replace(/"/g, '""');
      expect(cells.some((c) => c === `'${quoted}`)).toBe(true);
      expect(cells.some((c) => c === quoted)).toBe(false);
    }
    // Numbers stay numbers.
    expect(csv).not.toContain("'4");
  });

  it("refuses impossible dates and absurd amounts with INVALID_EDIT, and a comment that is not text", async () => {
    const id = formIds[1]!;
    const version = await versionOf(id);
    const refused: Array<[string, unknown]> = [
      ["form.startDate", "2018-13-45"],
      ["form.endDate", "2018-02-30"],
      ["form.totalBudget", 1e308],
      ["form.currentYearBudget", -5],
      ["form.subProjects[0].amount", 2e12],
    ];
    for (const [field, value] of refused) {
      const res = await post(`/api/forms/${id}/corrections`, { field, value, version });
      expect([field, res.statusCode, res.json().code]).toEqual([field, 400, "INVALID_EDIT"]);
    }
    for (const comment of [42, { text: "x" }, ["x"]]) {
      const edit = await post(`/api/forms/${id}/corrections`, {
        field: "form.remarks",
        value: "x",
        version,
        comment,
      });
      expect(edit.statusCode).toBe(400);
      const review = await post(`/api/forms/${id}/review`, { status: "approved", version, comment });
      expect(review.statusCode).toBe(400);
    }
    expect(await versionOf(id)).toBe(version); // nothing was stored
    const ok = await post(`/api/forms/${id}/corrections`, {
      field: "form.endDate",
      value: "2018-12-31",
      version,
    });
    expect(ok.statusCode).toBe(200);
  });

  it("an edit after approval reopens the form; approvals and rejections are rows in the audit trail", async () => {
    const id = formIds[2]!;
    let version = await versionOf(id);
    expect(
      (await post(`/api/forms/${id}/review`, { status: "rejected", version, comment: "金额待核" }))
        .statusCode,
    ).toBe(200);
    version = await versionOf(id);
    expect(
      (await post(`/api/forms/${id}/review`, { status: "approved", version, comment: "已核" })).statusCode,
    ).toBe(200);
    version = await versionOf(id);
    const edit = await post(`/api/forms/${id}/corrections`, {
      field: "form.remarks",
      value: "补充说明",
      version,
    });
    expect(edit.statusCode).toBe(200);
    const form = (await app.inject({ method: "GET", url: `/api/forms/${id}`, headers: auth })).json();
    expect(form.reviewStatus).toBe("pending");
    const { rows } = await ctx.db.query<{
      field: string;
      old_value: unknown;
      new_value: unknown;
      reviewer: string;
    }>("SELECT field, old_value, new_value, reviewer FROM corrections WHERE form_id = $1 ORDER BY id", [id]);
    expect(rows.map((r) => [r.field, r.old_value, r.new_value, r.reviewer])).toEqual([
      ["review_status", "pending", "rejected", "alice"],
      ["review_status", "rejected", "approved", "alice"],
      ["form.remarks", "", "补充说明", "alice"],
      ["review_status", "approved", "pending", "alice"],
    ]);
    // The reopened form's flags were recomputed from form fields only.
    expect(form.current.flags.some((f: { field: string }) => f.field === "review_status")).toBe(false);
  });
});
