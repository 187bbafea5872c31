import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { loadOptions } from "../../src/options.js";
import { buildApi } from "../../src/server/api.js";
import { loadReviewers } from "../../src/server/auth.js";
import { type Context, openContext } from "../../src/service/context.js";
import { processDocument, submitFile } from "../../src/service/documents.js";
import { ROOT } from "./cli.js";
import { testConfig } from "./services.js";

/**
 * The review server with one corpus form read and stored (PostgreSQL), and Debian's chromium
 * headless, for the browser tests that walk that form: alice (token tok-alice) reviews.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface ReviewBrowser {
  ctx: Context;
  app: FastifyInstance;
  browser: Browser;
  /** The server's address, http://127.0.0.1:port. */
  base: string;
  /** The stored form of the fixture. */
  formId: number;
  close(): Promise<void>;
}

/** `fixture`: a file under fixtures/corpus/pdf; `review`: the review policy (--review-codes). */
export async function startReviewBrowser(fixture: string, review?: string): Promise<ReviewBrowser> {
  const t = testConfig("postgres");
  const ctx = await openContext(t.config, {
    workers: 1,
    options: loadOptions({}, review ? { review } : {}),
  });
  const app = await buildApi(ctx, {
    queue: null,
    reviewers: loadReviewers({ FORMEX_REVIEWERS: "alice:tok-alice" }),
    maxUploadBytes: 50 * 1024 * 1024,
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  const s = await submitFile(ctx, join(ROOT, "fixtures/corpus/pdf", fixture));
  await processDocument(ctx, s.document.sha256);
  const { rows } = await ctx.db.query<{ id: number }>(
    "SELECT f.id FROM forms f JOIN documents d ON d.id = f.document_id WHERE d.sha256 = $1",
    [s.document.sha256],
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-sync",
    ],
  });
  return {
    ctx,
    app,
    browser,
    base,
    formId: Number(rows[0]!.id),
    close: async () => {
      await browser.close();
      await app.close();
      await ctx.close();
      await t.cleanup();
    },
  };
}
