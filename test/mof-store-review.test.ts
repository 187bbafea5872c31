import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_REVIEW_POLICY } from "../src/flags.js";
import { getAt, recomputeFlags, setAt, validateForm } from "../src/review/corrections.js";
import { formPage } from "../src/server/views.js";
import { openDb } from "../src/store/db.js";
import { migrate } from "../src/store/migrations.js";
import { listForms, registerDocument, saveForms } from "../src/store/repo.js";
import { MOF_PROJECT } from "../src/templates/mof-project.js";
import { extractFile } from "./helpers/extract.js";
import { testConfig } from "./helpers/services.js";

/** A mof-project form stored, listed, shown for review and corrected by its own template. */

const ROOT = join(import.meta.dirname, "..");
const M3 = join(ROOT, "fixtures/mof/m3-alone-flags.pdf");

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe("a mof-project form in the store and the review page", () => {
  it("is stored with the columns its template maps and read back as it was", async () => {
    const t = testConfig("pglite");
    cleanup = t.cleanup;
    const db = await openDb({
      databaseUrl: t.config.databaseUrl,
      dataDir: t.config.dataDir,
      schema: t.config.schema,
    });
    try {
      await migrate(db);
      const result = await extractFile(M3);
      const { document } = await registerDocument(db, {
        sha256: result.sha256,
        name: "m3.pdf",
        size: 1,
        pages: 1,
      });
      await saveForms(db, document.id, result.forms, DEFAULT_REVIEW_POLICY);
      const { rows } = await db.query<Record<string, unknown>>(
        "SELECT applicant, project_name, total_budget, current_year_budget, year, needs_review FROM forms",
      );
      expect(rows.map((r) => ({ ...r, current_year_budget: Number(r.current_year_budget) }))).toEqual([
        {
          applicant: "某市群众艺术馆",
          project_name: "公共文化服务进基层",
          total_budget: null,
          current_year_budget: 600000,
          year: 2019,
          needs_review: true,
        },
      ]);
      expect((await listForms(db)).map((f) => f.form)).toEqual(result.forms.map((f) => f.form));
    } finally {
      await db.close();
    }
  });

  it("the review page labels its fields and indicator rows from the template", async () => {
    const [x] = (await extractFile(M3)).forms;
    const html = formPage({
      id: 1,
      version: 1,
      current: x!,
      reviewStatus: "pending",
      reviewer: "r",
      imageScale: 1,
      nextId: null,
      prevId: null,
    });
    // An amount is shown in its field's unit (万元 here), so saving it unchanged reads back the same.
    const total = x!.form.funds as { total: number };
    expect(html).toMatch(
      new RegExp(`data-field="form\\.funds\\.total"[^]*?value="${total.total / 10_000}万元"`),
    );
    // The year and every indicator's levels are edited too.
    expect(html).toContain('data-field="form.year"');
    expect(html).toContain('data-field="form.indicators[0].level2"');
    expect(html).toContain("年度资金总额（万元）");
    expect(html).toContain('data-field="form.projectAttribute" data-kind="options"');
    expect(html).toContain("效益指标 · 数量指标 · 三级指标 3");
    expect(html).not.toContain("项目当年投入资金构成");
  });

  it("a correction of funds.fiscal redoes FUNDS_SUM_MISMATCH; a wrong type is refused by its schema", async () => {
    const [x] = (await extractFile(M3)).forms;
    expect(x!.flags.map((f) => f.code)).toContain("FUNDS_SUM_MISMATCH");
    const fixed = setAt(x!.form, "form.funds.fiscal", 520000, MOF_PROJECT);
    expect(getAt(fixed, "form.funds.fiscal")).toBe(520000);
    expect(validateForm(fixed, MOF_PROJECT)).toEqual([]);
    const flags = recomputeFlags(x!, fixed, new Set(["form.funds.fiscal"]));
    expect(flags.map((f) => f.code)).toEqual(["INDICATOR_LEVEL_INVALID"]);
    const wrong = setAt(x!.form, "form.funds.total", "六十万", MOF_PROJECT);
    expect(validateForm(wrong, MOF_PROJECT).map((i) => i.path)).toEqual(["form.funds.total"]);
  });
});
