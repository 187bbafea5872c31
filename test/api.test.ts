import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { grayToPng } from "../src/ocr/image-file.js";
import { withPdf } from "../src/pdf/open.js";
import { pageImage } from "../src/pdf/page-image.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/** The upload API on the in-process runner (no REDIS_URL), against PGlite. */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function api(
  token?: string,
  maxUploadBytes = 50 * 1024 * 1024,
): Promise<{ app: FastifyInstance; ctx: Context }> {
  const reviewers = loadReviewers(token ? { FORMEX_TOKEN: token } : {});
  const t = testConfig("pglite");
  cleanups.push(t.cleanup);
  const ctx = await openContext(t.config, { workers: 1 });
  cleanups.push(() => ctx.close());
  const app = await buildApi(ctx, { queue: null, reviewers, maxUploadBytes });
  cleanups.push(() => app.close());
  return { app, ctx };
}

function upload(
  app: FastifyInstance,
  bytes: Uint8Array,
  filename: string,
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), filename);
  return app.inject({ method: "POST", url: "/api/documents", payload: form, headers });
}

async function waitDone(app: FastifyInstance, id: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < 900; i++) {
    const doc = (await app.inject({ method: "GET", url: `/api/documents/${id}` })).json() as Record<
      string,
      unknown
    >;
    if (doc.status === "done" || doc.status === "failed") return doc;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("document not finished");
}

describe("upload API", () => {
  it("a scan image is sniffed by its bytes (whatever its name says) and read by OCR", async () => {
    const { app } = await api();
    const page = await withPdf(readFileSync(join(ROOT, "fixtures/scan/s1-gray300-skew.pdf")), "s1", (doc) =>
      pageImage(doc, 1),
    );
    const png = grayToPng(page.image, page.image.dpi / 72).png;
    const res = await upload(app, png, "misnamed.pdf");
    expect(res.statusCode).toBe(202);
    const doc = await waitDone(app, (res.json() as { id: number }).id);
    expect(doc.status).toBe("done");
    const forms = (await app.inject({ method: "GET", url: "/api/forms" })).json() as Array<{
      form: { projectName: string; projectType: string[] };
      fields: Record<string, { source: string }>;
    }>;
    expect(forms).toHaveLength(1);
    expect(forms[0]!.form.projectName).toBe("学会改革和发展");
    expect(forms[0]!.form.projectType).toEqual(["其他一次性项目"]);
    expect(forms[0]!.fields["form.projectName"]?.source).toBe("ocr");
  }, 120_000);

  it("accepts a PDF, reports progress and status, then serves its forms; a second upload is the same document", async () => {
    const { app } = await api();
    const bytes = readFileSync(join(ROOT, "fixtures/pdf/bundle-4forms.pdf"));
    const first = await upload(app, bytes, "bundle.pdf");
    expect(first.statusCode).toBe(202);
    const { id, created } = first.json() as { id: number; created: boolean };
    expect(created).toBe(true);
    const doc = await waitDone(app, id);
    // Their only flags are cut text (TRUNCATED_TEXT, info): nothing for a reviewer, none flagged.
    expect(doc).toMatchObject({ status: "done", pages: 12, forms: 4, flagged: 0, progress: 1 });
    const again = await upload(app, bytes, "renamed.pdf");
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id, created: false, status: "done" });
    const forms = (await app.inject({ method: "GET", url: "/api/forms?flagged=false" })).json() as Array<{
      form: { projectName: string };
    }>;
    expect(forms.map((f) => f.form.projectName)).toEqual([
      "学会改革和发展",
      "重点学术交流活动",
      "国际合作与交流",
      "院士专家工作站推进与服务企业科技创新",
    ]);
    expect((await app.inject({ method: "GET", url: "/api/forms?flagged=true" })).json()).toEqual([]);
    const status = (await app.inject({ method: "GET", url: "/api/status" })).json() as {
      documents: Record<string, number>;
    };
    expect(status.documents.done).toBe(1);
  });

  it("sniffs content, not names: a text file called .pdf is refused, a real PDF called .txt is read", async () => {
    const { app } = await api();
    const fake = await upload(app, new TextEncoder().encode("just some text"), "scan.pdf");
    expect(fake.statusCode).toBe(422);
    expect(fake.json()).toMatchObject({ code: "NOT_A_PDF", status: "failed" });
    const failed = await waitDone(app, (fake.json() as { id: number }).id);
    expect(failed.status).toBe("failed");
    expect((failed.errors as Array<{ code: string }>)[0]?.code).toBe("NOT_A_PDF");
    const pdfNamedTxt = await upload(
      app,
      readFileSync(join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf")),
      "notes.txt",
    );
    const done = await waitDone(app, (pdfNamedTxt.json() as { id: number }).id);
    expect(done).toMatchObject({ status: "done", forms: 1 });
  });

  it("refuses uploads over the size limit, and requests without the token when one is set", async () => {
    const small = await api(undefined, 1000);
    const big = await upload(
      small.app,
      readFileSync(join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf")),
      "big.pdf",
    );
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: "INPUT_TOO_LARGE" });

    const guarded = await api("s3cret");
    expect((await guarded.app.inject({ method: "GET", url: "/api/status" })).statusCode).toBe(401);
    const ok = await guarded.app.inject({
      method: "GET",
      url: "/api/status",
      headers: { authorization: "Bearer s3cret" },
    });
    expect(ok.statusCode).toBe(200);
  });
});
