import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { FLAGS, type FlagCode } from "../src/codes.js";
import { DEFAULT_REVIEW_POLICY, needsReview, parseReviewPolicy } from "../src/flags.js";
import { loadOptions } from "../src/options.js";
import { reviewForm } from "../src/review/corrections.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT, runCli } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * The review policy is one value judged by one function: `results --flagged`, the queue, the
 * API, the stored needs_review and the export view give the same answer for the same form, and
 * another policy changes every one of them.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the policy value", () => {
  it("defaults to every error plus the six actionable warnings; TRUNCATED_TEXT is info and not in it", () => {
    const errors = (Object.keys(FLAGS) as FlagCode[]).filter((c) => FLAGS[c].severity === "error");
    const extra = [
      "LOW_CONFIDENCE",
      "CHECKBOX_MULTIPLE",
      "EXECUTED_EXCEEDS_PRIOR",
      "DATE_OUTSIDE_YEAR",
      "UNKNOWN_LABEL",
      "CROSS_CHECK_UNSURE",
    ];
    expect(DEFAULT_REVIEW_POLICY.codes).toEqual([...errors, ...extra].sort());
    expect(FLAGS.TRUNCATED_TEXT.severity).toBe("info");
    expect(needsReview([{ code: "TRUNCATED_TEXT" }], DEFAULT_REVIEW_POLICY)).toBe(false);
    expect(needsReview([{ code: "TRUNCATED_TEXT" }, { code: "LOW_CONFIDENCE" }], DEFAULT_REVIEW_POLICY)).toBe(
      true,
    );
    expect(needsReview([{ code: "INDICATOR_LEVEL_INVALID" }], DEFAULT_REVIEW_POLICY)).toBe(false);
  });

  it("reads words in order, and refuses an unknown one", () => {
    expect(parseReviewPolicy("default,-UNKNOWN_LABEL").codes).not.toContain("UNKNOWN_LABEL");
    expect(parseReviewPolicy("default,-UNKNOWN_LABEL").codes).toHaveLength(
      DEFAULT_REVIEW_POLICY.codes.length - 1,
    );
    expect(parseReviewPolicy("info").codes).toEqual(["RECOVERED_CLIPPED_TEXT", "TRUNCATED_TEXT"]);
    expect(parseReviewPolicy("error,-MISSING_FIELD,TRUNCATED_TEXT").codes).toContain("TRUNCATED_TEXT");
    expect(() => parseReviewPolicy("default,TRUNCATED")).toThrow(/unknown review policy word "TRUNCATED"/);
    expect(() => parseReviewPolicy(" , ")).toThrow();
  });

  it("comes from the flag, then FORMEX_REVIEW_CODES, then the default", () => {
    expect(loadOptions({}).review).toEqual(DEFAULT_REVIEW_POLICY);
    expect(loadOptions({ FORMEX_REVIEW_CODES: "info" }).review.codes).toEqual([
      "RECOVERED_CLIPPED_TEXT",
      "TRUNCATED_TEXT",
    ]);
    expect(loadOptions({ FORMEX_REVIEW_CODES: "info" }, { review: "MISSING_FIELD" }).review.codes).toEqual([
      "MISSING_FIELD",
    ]);
  });
});

/** Every place's answer, as form ids waiting for review. */
async function everyPlace(ctx: Context, app: FastifyInstance): Promise<Record<string, number[]>> {
  const { rows } = await ctx.db.query<{
    id: number;
    sha256: string;
    form_index: number;
    document_id: number;
    flags: unknown;
    review_status: string;
  }>(
    `SELECT f.id, d.sha256, f.form_index, f.document_id, COALESCE(f.current, f.extraction)->'flags' AS flags, f.review_status
     FROM forms f JOIN documents d ON d.id = f.document_id ORDER BY f.id`,
  );
  const idOf = (sha: string, index: number) =>
    Number(rows.find((r) => r.sha256 === sha && Number(r.form_index) === index)?.id);
  const truth = rows
    .filter(
      (r) =>
        r.review_status === "pending" && needsReview(r.flags as Array<{ code: string }>, ctx.options.review),
    )
    .map((r) => Number(r.id));
  const queueHtml = (await app.inject({ method: "GET", url: "/" })).body;
  const queue = [...new Set([...queueHtml.matchAll(/href="\/forms\/(\d+)"/g)].map((m) => Number(m[1])))];
  const api = (await app.inject({ method: "GET", url: "/api/forms?flagged=true" }))
    .json<Array<{ source: { sha256: string; formIndex: number } }>>()
    .map((f) => idOf(f.source.sha256, f.source.formIndex));
  const perDocument: number[] = [];
  for (const docId of new Set(rows.map((r) => Number(r.document_id)))) {
    const doc = (await app.inject({ method: "GET", url: `/api/documents/${docId}` })).json<{
      flagged: number;
    }>();
    const ids = rows.filter((r) => Number(r.document_id) === docId).map((r) => Number(r.id));
    // A document's count: the ids of its forms the truth holds must number what it says.
    expect(doc.flagged).toBe(ids.filter((i) => truth.includes(i)).length);
    perDocument.push(...ids.filter((i) => truth.includes(i)).slice(0, doc.flagged));
  }
  const view = (
    await ctx.db.query<{ form_id: number }>(
      "SELECT form_id FROM export_forms WHERE needs_review ORDER BY form_id",
    )
  ).rows.map((r) => Number(r.form_id));
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  return { truth, queue: sort(queue), api: sort(api), perDocument: sort(perDocument), view };
}

describe.each(["pglite", "postgres"] as const)("one policy everywhere (%s)", (backend) => {
  it("gives one answer in every place, keeps a TRUNCATED_TEXT-only form out, and follows a changed policy", async () => {
    const t = testConfig(backend);
    cleanups.push(t.cleanup);
    const open = async (env: Record<string, string>) => {
      const ctx = await openContext(t.config, { workers: 1, options: loadOptions(env) });
      const app = await buildApi(ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 1 << 26 });
      return {
        ctx,
        app,
        close: async () => {
          await app.close();
          await ctx.close();
        },
      };
    };
    const first = await open({});
    let closed = false;
    cleanups.push(() => (closed ? undefined : first.close()));
    const files = [
      "fixtures/pdf/f1-ballot-glyphs.pdf",
      "fixtures/mof/m3-alone-flags.pdf",
      "fixtures/mof/m4-bundle-2forms.pdf",
    ];
    for (const f of files) {
      const s = await submitFile(first.ctx, join(ROOT, f));
      await processDocument(first.ctx, s.document.sha256);
    }
    const ids = async (sha: string) =>
      (
        await first.ctx.db.query<{ id: number }>(
          "SELECT f.id FROM forms f JOIN documents d ON d.id = f.document_id WHERE d.name = $1",
          [sha],
        )
      ).rows.map((r) => Number(r.id));
    const [truncatedOnly] = await ids("f1-ballot-glyphs.pdf");
    const [fundsError] = await ids("m3-alone-flags.pdf");
    const before = await everyPlace(first.ctx, first.app);
    expect(before.truth).toEqual([fundsError]);
    for (const place of Object.values(before)) expect(place).toEqual(before.truth);

    // A decision takes the form out of every place.
    await reviewForm(first.ctx.db, fundsError!, { status: "approved", version: 1, reviewer: "测试" });
    const decided = await everyPlace(first.ctx, first.app);
    expect(decided.truth).toEqual([]);
    for (const place of Object.values(decided)) expect(place).toEqual([]);
    const { rows } = await first.ctx.db.query<{ review_status: string }>(
      "SELECT review_status FROM export_forms WHERE form_id = $1",
      [fundsError],
    );
    expect(rows[0]?.review_status).toBe("clean"); // approved: clean for analysts
    await first.close();
    closed = true;

    // Another policy: cut text is now work for a reviewer. Every place follows it.
    const second = await open({ FORMEX_REVIEW_CODES: "default,TRUNCATED_TEXT" });
    cleanups.push(() => second.close());
    const after = await everyPlace(second.ctx, second.app);
    expect(after.truth).toEqual([truncatedOnly]);
    for (const place of Object.values(after)) expect(place).toEqual(after.truth);
    if (backend === "pglite") {
      await second.close();
      cleanups.pop();
      // `formex results --flagged` under each policy, by its own flag, on this test's schema.
      const cli = (args: string[]) => {
        const saved = process.env.FORMEX_DB_SCHEMA;
        process.env.FORMEX_DB_SCHEMA = t.config.schema;
        try {
          return runCli(args);
        } finally {
          if (saved === undefined) delete process.env.FORMEX_DB_SCHEMA;
          else process.env.FORMEX_DB_SCHEMA = saved;
        }
      };
      const results = async (policy: string) => {
        const r = await cli([
          "results",
          "--jsonl",
          "--flagged",
          "--data",
          t.config.dataDir,
          "--review-codes",
          policy,
        ]);
        expect(r.code).toBe(0);
        return r.stdout
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l).source.file);
      };
      expect(await results("default,TRUNCATED_TEXT")).toEqual(["f1-ballot-glyphs.pdf"]);
      expect(await results("default")).toEqual([]);
      expect(await results("INDICATOR_LEVEL_INVALID")).toEqual([]); // m3 was approved
      const bad = await cli(["results", "--data", t.config.dataDir, "--review-codes", "nonsense"]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('unknown review policy word "nonsense"');
    }
  });
});
