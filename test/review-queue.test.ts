import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlagCode } from "../src/codes.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { DEFAULT_QUERY } from "../src/server/queue-query.js";
import { type Context, openContext } from "../src/service/context.js";
import {
  flagCounts,
  type QueueQuery,
  type QueueRecord,
  queueNeighbours,
  queuePageRows,
  statusCounts,
} from "../src/store/review-queue.js";
import { baseExtraction, type SeedForm, seedDocument } from "./helpers/review-forms.js";
import { testConfig } from "./helpers/services.js";

/**
 * Issue 10 item 4: the queue sorts, counts and pages in SQL, on PGlite and on PostgreSQL, and the
 * form page's j/k walk the queue as filtered and sorted. 120 seeded forms in three files: by
 * g % 4 an error (DATE_ORDER), two warnings, one warning, or only cut text (not routed: never
 * queued); forms g = 0, 1, 2 approved and g = 4 rejected. Applicants run backwards, every tenth
 * is empty.
 */

const FLAGS_BY: FlagCode[][] = [
  ["DATE_ORDER"],
  ["LOW_CONFIDENCE", "CHECKBOX_MULTIPLE"],
  ["LOW_CONFIDENCE"],
  ["TRUNCATED_TEXT"],
];
const seed = (g: number): SeedForm => ({
  applicant: g % 10 === 9 ? null : `单位${String(200 - g).padStart(3, "0")}`,
  flags: FLAGS_BY[g % 4]!,
  low: ((g * 37) % 100) / 100,
});
const FILES = ["c-三.pdf", "a-一.pdf", "b-二.pdf"];
const q = (change: Partial<QueueQuery> = {}): QueueQuery => ({ ...DEFAULT_QUERY, ...change });

interface Seeded {
  ctx: Context;
  /** Form id of seed g. */
  ids: number[];
  cleanup: () => Promise<void>;
}

async function seeded(backend: "pglite" | "postgres"): Promise<Seeded> {
  const t = testConfig(backend);
  const ctx = await openContext(t.config, { workers: 1 });
  const base = await baseExtraction(ctx);
  const ids: number[] = [];
  for (const [k, file] of FILES.entries())
    ids.push(
      ...(await seedDocument(
        ctx,
        base,
        file,
        Array.from({ length: 40 }, (_, i) => seed(k * 40 + i)),
      )),
    );
  await ctx.db.query("UPDATE forms SET review_status = 'approved' WHERE id = ANY($1::bigint[])", [
    [ids[0], ids[1], ids[2]],
  ]);
  await ctx.db.query("UPDATE forms SET review_status = 'rejected' WHERE id = $1", [ids[4]]);
  return {
    ctx,
    ids,
    cleanup: async () => {
      await ctx.close();
      await t.cleanup();
    },
  };
}

/** Every row of a query, through the pages. */
async function allRows(ctx: Context, query: QueueQuery): Promise<QueueRecord[]> {
  const out: QueueRecord[] = [];
  for (let page = 1; page < 10; page++) {
    const rows = await queuePageRows(ctx.db, { ...query, page }, ctx.options.review);
    out.push(...rows);
    if (rows.length < 50) break;
  }
  return out;
}

const worst = (r: QueueRecord) =>
  Math.max(
    0,
    ...r.current.flags
      .filter((f) => f.code !== "TRUNCATED_TEXT")
      .map((f) => ({ error: 3, warning: 2, info: 1 })[f.severity]),
  );

describe.each(["pglite", "postgres"] as const)("the queue in SQL (%s)", (backend) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await seeded(backend);
  }, 120_000);
  afterAll(async () => s.cleanup());
  const g = (id: number) => s.ids.indexOf(id);

  it("counts forms per status and per flag code under the other filters", async () => {
    const policy = s.ctx.options.review;
    expect(await statusCounts(s.ctx.db, q(), policy)).toEqual({
      pending: 86,
      approved: 3,
      rejected: 1,
      all: 90,
    });
    expect(await flagCounts(s.ctx.db, q(), policy)).toEqual([
      { code: "LOW_CONFIDENCE", forms: 58 },
      { code: "CHECKBOX_MULTIPLE", forms: 29 },
      { code: "DATE_ORDER", forms: 28 },
    ]);
    // The status tabs keep the flag filter; the code counts keep the status.
    expect(await statusCounts(s.ctx.db, q({ flag: "DATE_ORDER" }), policy)).toEqual({
      pending: 28,
      approved: 1,
      rejected: 1,
      all: 30,
    });
    expect(await flagCounts(s.ctx.db, q({ status: "approved" }), policy)).toEqual([
      { code: "LOW_CONFIDENCE", forms: 2 },
      { code: "CHECKBOX_MULTIPLE", forms: 1 },
      { code: "DATE_ORDER", forms: 1 },
    ]);
  });

  it("pages 86 forms as 50 + 36, each once, worst open flag first", async () => {
    const p1 = await queuePageRows(s.ctx.db, q(), s.ctx.options.review);
    const p2 = await queuePageRows(s.ctx.db, q({ page: 2 }), s.ctx.options.review);
    expect([p1.length, p2.length]).toEqual([50, 36]);
    expect(await queuePageRows(s.ctx.db, q({ page: 3 }), s.ctx.options.review)).toEqual([]);
    const rows = [...p1, ...p2];
    expect(new Set(rows.map((r) => r.id)).size).toBe(86);
    expect(rows.every((r) => r.reviewStatus === "pending")).toBe(true);
    const ranks = rows.map(worst);
    expect(ranks.slice(0, 28)).toEqual(Array(28).fill(3));
    expect(ranks.slice(28)).toEqual(Array(58).fill(2));
    // Among warnings, two open flags before one.
    expect(rows.slice(28, 57).every((r) => r.current.flags.length === 2)).toBe(true);
    expect(rows[57]!.current.flags.length).toBe(1);
  });

  it("sorts by applicant (empty last), by file, by lowest field confidence", async () => {
    const byApplicant = (await allRows(s.ctx, q({ sort: "applicant" }))).map((r) => r.current.form.applicant);
    const named = byApplicant.filter((a) => a !== null) as string[];
    expect(named).toEqual([...named].sort());
    expect(named[0]).toBe("单位082");
    expect(byApplicant.slice(named.length).every((a) => a === null)).toBe(true);
    expect(byApplicant.length - named.length).toBe(6);

    const byFile = (await allRows(s.ctx, q({ sort: "file" }))).map((r) => r.file);
    expect([...new Set(byFile)]).toEqual(["a-一.pdf", "b-二.pdf", "c-三.pdf"]);

    const byConfidence = await allRows(s.ctx, q({ sort: "confidence" }));
    const lows = byConfidence.map((r) => r.lowConfidence!);
    expect(lows).toEqual([...lows].sort((a, b) => a - b));
    expect(lows[0]).toBe(0);
  });

  it("filters by applicant and file as typed text (% and _ are not patterns)", async () => {
    const policy = s.ctx.options.review;
    const one = await allRows(s.ctx, q({ applicant: "单位19" }));
    expect(one.map((r) => g(r.id)).sort((a, b) => a - b)).toEqual([5, 6, 8, 10]);
    expect((await statusCounts(s.ctx.db, q({ file: "a-" }), policy)).all).toBe(30);
    expect((await statusCounts(s.ctx.db, q({ applicant: "%" }), policy)).all).toBe(0);
    expect((await statusCounts(s.ctx.db, q({ file: "_" }), policy)).all).toBe(0);
  });

  it("gives a form's neighbours in the filtered, sorted queue, and the page it is on", async () => {
    const policy = s.ctx.options.review;
    const view = q({ sort: "applicant", flag: "LOW_CONFIDENCE" });
    const rows = await allRows(s.ctx, view);
    expect(rows.length).toBe(58);
    for (const i of [0, 1, 30, 49, 50, 57]) {
      const n = await queueNeighbours(s.ctx.db, view, rows[i]!.id, policy);
      expect(n).toEqual({
        prev: rows[i - 1]?.id ?? null,
        next: rows[i + 1]?.id ?? null,
        page: i < 50 ? 1 : 2,
      });
    }
    // Approved from the pending view, form g = 0 keeps its place: j leads on to the next error.
    expect(await queueNeighbours(s.ctx.db, q(), s.ids[0]!, policy)).toEqual({
      prev: null,
      next: s.ids[8],
      page: 1,
    });
  });
});

describe("the queue page over HTTP", () => {
  let s: Seeded;
  let app: FastifyInstance;
  beforeAll(async () => {
    s = await seeded("pglite");
    app = await buildApi(s.ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 1e6 });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await s.cleanup();
  });
  const get = async (url: string) => (await app.inject({ method: "GET", url })).body;
  const rowIds = (html: string) => [...html.matchAll(/<tr data-id="(\d+)"/g)].map((m) => Number(m[1]));

  it("shows status tabs and flag codes with counts, and 50 forms a page with page links", async () => {
    const html = await get("/");
    expect(html).toContain('data-status="pending" class="current">待审核 <b>86</b>');
    expect(html).toMatch(/data-status="approved">已通过 <b>3<\/b>/);
    expect(html).toMatch(/href="\/\?status=all" data-status="all">全部 <b>90<\/b>/);
    expect(html).toMatch(/data-code="DATE_ORDER">.*结束时间早于开始时间.*<b>28<\/b>/);
    expect(rowIds(html)).toHaveLength(50);
    expect(html).toContain("第 1–50 份，共 86 份");
    expect(html).toContain('href="/?page=2" data-page="2">下一页</a>');
  });

  it("reads page 2, a page past the last as the last, and a bad page as the first", async () => {
    const second = rowIds(await get("/?page=2"));
    expect(second).toHaveLength(36);
    expect(rowIds(await get("/?page=999"))).toEqual(second);
    expect(await get("/?page=999")).toContain('<b aria-current="page">2</b>');
    expect(rowIds(await get("/?page=abc"))).toEqual(rowIds(await get("/")));
    const approved = await get("/?status=approved");
    expect(rowIds(approved).sort((a, b) => a - b)).toEqual([s.ids[0], s.ids[1], s.ids[2]]);
  });

  it("opens a form with j/k leading through the queue it came from", async () => {
    const list = await get("/?sort=file&flag=DATE_ORDER");
    const ids = rowIds(list);
    expect(ids).toHaveLength(28);
    expect(list).toContain(`href="/forms/${ids[3]}?sort=file&amp;flag=DATE_ORDER"`);
    const form = await get(`/forms/${ids[3]}?sort=file&flag=DATE_ORDER`);
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(form)![1]!);
    expect([data.prev, data.next, data.q]).toEqual([ids[2], ids[4], "?sort=file&flag=DATE_ORDER"]);
    expect(form).toContain('href="/?sort=file&amp;flag=DATE_ORDER">返回队列');
  });

  it("escapes what a PDF put in the applicant", async () => {
    const base = (await allRows(s.ctx, q()))[0]!.current;
    await seedDocument(s.ctx, base, "x.pdf", [
      { applicant: "<img src=x onerror=alert(1)>", flags: ["DATE_ORDER"], low: 0.5 },
    ]);
    const html = await get("/?file=x.pdf");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
  });
});
