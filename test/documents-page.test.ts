import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zhOf } from "../src/codes.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { DOCUMENTS_JS } from "../src/server/documents-js.js";
import { type Context, openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { registerDocument } from "../src/store/repo.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * Issue 10 item 5: the documents page lists every upload with its document's status, progress,
 * errors in Chinese and forms; a second upload of the same bytes says whose file it is; it pages,
 * escapes file names, and carries its refresh script under the CSP.
 */

let ctx: Context;
let app: FastifyInstance;
let cleanup: () => Promise<void>;
const HOSTILE = "<img src=x onerror=alert(1)>.pdf";
const F2 = readFileSync(join(ROOT, "fixtures/pdf/f2-square-tick.pdf"));

beforeAll(async () => {
  const t = testConfig("pglite");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1 });
  app = await buildApi(ctx, { queue: null, reviewers: loadReviewers({}), maxUploadBytes: 1e7 });
});
afterAll(async () => {
  await app.close();
  await ctx.close();
  await cleanup();
});

function upload(bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), filename);
  return app.inject({ method: "POST", url: "/upload?to=documents", payload: form });
}

interface Listed {
  total: number;
  running: number;
  page: number;
  pages: number;
  rows: Array<{
    id: number;
    name: string;
    documentId: number;
    status: string;
    duplicate: boolean;
    forms: number;
  }>;
}
const list = async (page = 1) =>
  (await app.inject({ method: "GET", url: `/api/documents?page=${page}` })).json() as Listed;
const html = async (url = "/documents") => (await app.inject({ method: "GET", url })).body;

describe("the documents page", () => {
  it("shows an upload read to the end, its duplicate under a hostile name, and a refused file's error in Chinese", async () => {
    const first = await upload(F2, "f2.pdf");
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toMatch(/^\/documents\?uploaded=\d+$/);
    for (let i = 0; i < 600 && (await list()).running > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await html(first.headers.location as string)).toContain("已上传（文档 #");
    const again = await upload(F2, HOSTILE);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toMatch(/^\/documents\?uploaded=\d+&same=1$/);
    expect(await html(again.headers.location as string)).toContain("这个文件之前已上传过（文档 #");

    const refused = await upload(new TextEncoder().encode("just some text"), "scan.pdf");
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(`上传失败：${zhOf("NOT_A_PDF")}（NOT_A_PDF）`);
    expect(refused.body).toContain('action="/upload?to=documents"'); // tried again, it comes back here
    expect(refused.body).toMatch(
      /<details id="upload-tech"><summary>技术信息<\/summary><small>[^<]+<\/small>/,
    );
    expect(refused.body).not.toMatch(/\btitle="/);

    const listed = await list();
    expect(listed.total).toBe(3);
    expect(listed.rows.map((r) => [r.name, r.status, r.duplicate])).toEqual([
      ["scan.pdf", "failed", false],
      [HOSTILE, "done", true],
      ["f2.pdf", "done", false],
    ]);
    const doc = listed.rows[2]!.documentId;
    expect(listed.rows[1]!.documentId).toBe(doc);
    expect(listed.rows[2]!.forms).toBe(1);

    const page = await html();
    expect(page).toContain(`与文档 #${doc}（f2.pdf）是同一文件`);
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;.pdf");
    expect(page).not.toContain("<img src=x");
    // The error in Chinese with its code; the technical message only on hover.
    expect(page).toMatch(new RegExp(`data-code="NOT_A_PDF">${zhOf("NOT_A_PDF")}（NOT_A_PDF）`));
    // The English technical message is only under the collapsed 技术信息, never a hover title.
    expect(page).toMatch(
      /<details class="tech"><summary>技术信息<\/summary><small>[^<]+<\/small><\/details>/,
    );
    expect(page).not.toMatch(/\btitle="[^"]*[A-Za-z]{4,}[^"]*"/);
    expect(page).toContain("<td>已读完</td>");
    expect(page).toContain("<td>网页上传</td>");
    expect(page).toContain("<td>失败</td>");
    expect(page).toContain(
      '<progress max="3" value="3"></progress> <span data-progress-text>3 / 3 页</span>',
    );
    expect(page).toContain(`href="/?status=all&amp;file=f2.pdf">1 份</a>`);
    expect(page).not.toContain('id="running"');
    // The queue links here.
    expect(await html("/")).toContain('<a href="/documents">文档</a>');
  }, 120_000);

  it("pages 64 submissions as 50 + 14 (a page past the last is the last) and says when documents are being read", async () => {
    // As `formex ingest` submits (not read here: it stays queued).
    await submitFile(ctx, join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf"));
    for (let i = 0; i < 60; i++)
      await registerDocument(ctx.db, {
        sha256: createHash("sha256").update(`seed ${i}`).digest("hex"),
        name: `seed-${i}.pdf`,
        size: 1,
        pages: 4,
      });
    const [p1, p2, p9] = [await list(1), await list(2), await list(9)];
    expect([p1.total, p1.pages, p1.rows.length, p2.rows.length]).toEqual([64, 2, 50, 14]);
    expect(p1.rows[0]!.name).toBe("seed-59.pdf");
    expect(p2.rows.at(-1)!.name).toBe("f2.pdf");
    expect(p9.page).toBe(2);
    expect(p1.running).toBe(61);

    const page = await html("/documents?page=2");
    expect([...page.matchAll(/<tr data-submission=/g)]).toHaveLength(14);
    expect(page).toContain("第 51–64 份，共 64 份");
    expect(page).toContain('<a href="/documents" data-page="1">上一页</a>');
    expect(page).toContain('id="running">61 份正在读取');
    expect(page).toContain("<span data-progress-text>0 / 4 页</span>");
    const data = JSON.parse(/id="docs-data">(.*?)<\/script>/.exec(page)![1]!);
    expect(data).toEqual({ page: 2, total: 64, running: 61 });
    expect(page).toContain("<td>f1-ballot-glyphs.pdf</td><td>#");
    expect(page).toContain("<td>命令行导入</td>");
    // The refresh script runs: the CSP names its hash.
    const res = await app.inject({ method: "GET", url: "/documents" });
    const hash = createHash("sha256").update(DOCUMENTS_JS).digest("base64");
    expect(res.headers["content-security-policy"]).toContain(`'sha256-${hash}'`);
    expect(res.body).toContain(`<script>${DOCUMENTS_JS}</script>`);
  });
});
