import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLAGS } from "../src/codes.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { FLAG_JS } from "../src/server/client-flags.js";
import { CLIENT_JS } from "../src/server/client-js.js";
import { esc } from "../src/server/html.js";
import { type Context, openContext } from "../src/service/context.js";
import { processDocument, submitFile } from "../src/service/documents.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/** Issue 10 item 6: the reviewer reads Chinese; a browser without a token is asked for it on a page. */

let ctx: Context;
let app: FastifyInstance;
let cleanup: () => Promise<void>;
let id: number;

beforeAll(async () => {
  const t = testConfig("postgres");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1 });
  app = await buildApi(ctx, {
    queue: null,
    reviewers: loadReviewers({ FORMEX_REVIEWERS: "alice:tok-a" }),
    maxUploadBytes: 1e7,
  });
  const s = await submitFile(ctx, join(ROOT, "fixtures/mof/m3-alone-flags.pdf"));
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>("SELECT id FROM forms");
  id = Number(rows[0]!.id);
});
afterAll(async () => {
  await app.close();
  await ctx.close();
  await cleanup();
});

const auth = { authorization: "Bearer tok-a" };
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("Chinese throughout the review pages", () => {
  it("the queue names statuses and flags in Chinese (the code beside it)", async () => {
    const html = (await app.inject({ method: "GET", url: "/", headers: auth })).body;
    expect(html).toContain("<td>待审核</td>");
    expect(html).not.toContain("<td>pending</td>");
    expect(html).toContain(`${FLAGS.FUNDS_SUM_MISMATCH.zh} <small>FUNDS_SUM_MISMATCH</small>`);
    expect(html).toContain(`${FLAGS.INDICATOR_LEVEL_INVALID.zh}（INDICATOR_LEVEL_INVALID）</option>`);
  });

  it("a form's page: status, each flag's explanation and its field's printed label in Chinese; edits sent as typed", async () => {
    const html = (await app.inject({ method: "GET", url: `/forms/${id}`, headers: auth })).body;
    expect(html).toContain('<b id="status">待审核</b>');
    expect(html).toContain(
      `data-code="FUNDS_SUM_MISMATCH"><span class="chip error">${FLAGS.FUNDS_SUM_MISMATCH.zh}</span> 年度资金总额（万元）`,
    );
    expect(html).toContain(`${FLAGS.INDICATOR_LEVEL_INVALID.zh}</span> 绩效指标 第 3 行 · 二级指标`);
    // The hover says in Chinese what is wrong and where; the extractor's English stays a data-detail.
    expect(html).toContain(
      `<small title="${FLAGS.INDICATOR_LEVEL_INVALID.zh}（绩效指标 第 3 行 · 二级指标）">INDICATOR_LEVEL_INVALID</small></li>`,
    );
    // The page's script names a refusal by the registry's Chinese, and the statuses in Chinese.
    expect(html).toContain('"UNAUTHORIZED":"需要令牌');
    expect(html).toContain('"approved":"已通过"');
    // What was typed goes to the server unconverted (no Number("abc") -> null saved silently).
    expect(CLIENT_JS).not.toMatch(/Number\(/);
    expect(CLIENT_JS).toContain('value = raw === "" ? null : raw');
    expect(FLAG_JS).not.toMatch(/Number\(/);
    expect(FLAG_JS).toContain('value = raw === "" ? null : raw');
  });

  it("no flag's English message is a hover title: every title on the form page reads Chinese", async () => {
    const html = (await app.inject({ method: "GET", url: `/forms/${id}`, headers: auth })).body;
    const got = (await app.inject({ method: "GET", url: `/api/forms/${id}`, headers: auth })).json();
    const messages = (got.current.flags as Array<{ message: string }>).map((f) => f.message);
    expect(messages.length).toBeGreaterThan(1);
    const titles = [...html.matchAll(/\btitle="([^"]*)"/g)].map((m) => m[1]!);
    expect(titles.length).toBeGreaterThan(messages.length);
    for (const t of titles) {
      expect(t).toMatch(/[\u4e00-\u9fff]/);
      for (const m of messages) expect(t).not.toContain(esc(m));
    }
    // The English is still there for support, out of sight: a data- attribute on each listed flag.
    for (const m of messages) expect(html).toContain(`data-detail="${esc(m)}"`);
  });

  it("a refused edit answers its reason in Chinese; a stale one too", async () => {
    const bad = await app.inject({
      method: "POST",
      url: `/api/forms/${id}/corrections`,
      headers: auth,
      payload: { field: "form.funds.total", value: "六十万", version: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^金额无法识别：六十万（本栏以万元为单位/);
    const stale = await app.inject({
      method: "POST",
      url: `/api/forms/${id}/review`,
      headers: auth,
      payload: { status: "approved", version: 7 },
    });
    expect([stale.statusCode, stale.json().code]).toEqual([409, "STALE_EDIT"]);
    expect(stale.json().message).toMatch(/已被他人修改/);
  });
});

describe("a request without the token", () => {
  it("from a browser: a Chinese page asking for it (401, HTML, the page's protections kept)", async () => {
    const res = await app.inject({ method: "GET", url: `/forms/${id}`, headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(401);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.body).toContain("请输入审核令牌");
    expect(res.body).toContain("此服务器需要审核令牌才能访问");
    expect(res.body).toContain(`<form method="get" action="/forms/${id}">`);
    expect(res.body).toContain('name="token"');
    expect(res.body).not.toContain("tok-a");
  });

  it("a browser's post without it (an upload) gets the page too, leading back to the queue", async () => {
    const res = await app.inject({ method: "POST", url: "/upload", headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('<form method="get" action="/">');
  });

  it("a wrong ?token= says so; the rest of the query is kept, escaped; the token itself is not echoed", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/?token=${encodeURIComponent("<i>guess")}&applicant=${encodeURIComponent('"><script>x</script>')}`,
      headers: { accept: BROWSER },
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("令牌不正确，请重新输入");
    expect(res.body).toContain(
      '<input type="hidden" name="applicant" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">',
    );
    expect(res.body).not.toContain("<script>x");
    expect(res.body).not.toContain("guess");
  });

  it("the page's form logs in: ?token= sets the cookie and the page opens", async () => {
    const login = await app.inject({ method: "GET", url: "/?token=tok-a", headers: { accept: BROWSER } });
    expect(login.statusCode).toBe(302);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const page = await app.inject({ method: "GET", url: "/", headers: { cookie, accept: BROWSER } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("审核人：alice");
  });

  it.each([
    ["application/json", "/api/forms"],
    ["application/json, text/html", "/"],
    [undefined, "/"],
    ["*/*", `/api/forms/${id}`],
  ])("from an API client (Accept %s) it is still the JSON 401", async (accept, url) => {
    const res = await app.inject({ method: "GET", url, headers: accept ? { accept } : {} });
    expect(res.statusCode).toBe(401);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.json().code).toBe("UNAUTHORIZED");
  });

  it("a cross-site post is refused before anything else, as before", async () => {
    const res = await app.inject({
      method: "POST",
      url: `/api/forms/${id}/review`,
      headers: { accept: BROWSER, origin: "http://evil.example", host: "127.0.0.1" },
      payload: { status: "approved", version: 1 },
    });
    expect([res.statusCode, res.json().code]).toEqual([403, "CROSS_ORIGIN"]);
  });
});
