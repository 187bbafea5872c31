import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTables } from "../src/export/export.js";
import { buildApi } from "../src/server/api.js";
import { loadReviewers } from "../src/server/auth.js";
import { type Context, openContext } from "../src/service/context.js";
import { registerDocument, setDocumentStatus } from "../src/store/repo.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * A reviewer's whole path in a real browser (Debian's chromium, headless, driven by
 * playwright-core): upload, open from the queue, see the flagged field highlighted, correct it,
 * approve, and find the corrected value and the audit row in the export.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots land in docs/ (committed) only when asked: FORMEX_SCREENSHOTS=1 npm test. */
const SHOTS =
  process.env.FORMEX_SCREENSHOTS === "1" ? join(ROOT, "docs") : mkdtempSync(join(tmpdir(), "formex-shots-"));

/** The little of the page's DOM the waits read. */
interface PageDocument {
  document: {
    querySelectorAll(s: string): Iterable<{ complete: boolean; naturalWidth: number }>;
    getElementById(id: string): { textContent: string | null } | null;
  };
}

let ctx: Context;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let cleanup: () => Promise<void>;
let outDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  const t = testConfig("postgres");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1 });
  app = await buildApi(ctx, {
    queue: null,
    reviewers: loadReviewers({ FORMEX_REVIEWERS: "alice:tok-alice" }),
    maxUploadBytes: 50 * 1024 * 1024,
  });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  outDir = mkdtempSync(join(tmpdir(), "formex-browser-"));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
  await cleanup?.();
  rmSync(outDir, { recursive: true, force: true });
});

describe("review in a browser", () => {
  it("upload a scan -> queue -> highlighted flag -> correction -> approval -> export", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/?token=tok-alice`);
    expect(page.url()).toBe(`${base}/`);
    expect(await page.textContent("header")).toContain("alice");

    // A scanned fixture (300 dpi gray JPEG pages): the field read by OCR is what gets corrected.
    await page.setInputFiles('input[type="file"]', join(ROOT, "fixtures/scan/s1-gray300-skew.pdf"));
    await Promise.all([page.waitForURL(/uploaded=\d+/), page.click("#upload")]);
    // The in-process runner reads it in the background (OCR): the form joins the queue when done.
    for (let i = 0; i < 240 && (await page.locator("#queue tbody tr").count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(await page.locator("#queue tbody tr").count()).toBe(1);
    // The queue shows why a form waits: its OCR long texts (LOW_CONFIDENCE), not the cut text
    // (TRUNCATED_TEXT, info) that no reviewer can fix.
    expect(await page.textContent("#queue tbody")).toContain("LOW_CONFIDENCE");
    expect(await page.textContent("#queue tbody")).toContain("识别置信度低于阈值");
    expect(await page.textContent("#queue tbody")).toContain("待审核");
    expect(await page.textContent("#queue tbody")).not.toContain("TRUNCATED_TEXT");
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "review-queue.png") });

    await page.click("#queue tbody tr a >> nth=1");
    await page.waitForSelector(".page img");
    // Functions, not strings: the page's Content-Security-Policy forbids eval.
    // (Run in the page, so inline: the project's types have no DOM.)
    await page.waitForFunction(() =>
      [...(globalThis as unknown as PageDocument).document.querySelectorAll(".page img")].every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );

    await page.click('.flags li[data-flag-field="form.overview"]');
    const highlight = page.locator('.hl[data-field="form.overview"]');
    await highlight.waitFor({ state: "visible" });
    const box = await highlight.boundingBox();
    expect(box && box.width > 100 && box.height > 20).toBe(true);
    expect(await page.locator('.field.active[data-field="form.overview"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, "review-form.png") });

    // A value that does not read is refused beside its input, in Chinese, and nothing is saved
    // (the page stays, the version too): abc for money was once saved as an empty amount.
    const money = page.locator('.field[data-field="form.totalBudget"]');
    const formId = page.url().split("/").at(-1);
    const versionOf = async () =>
      (await (await page.request.get(`${base}/api/forms/${formId}`)).json()) as {
        version: number;
        current: { form: { totalBudget: number | null } };
      };
    const before = await versionOf();
    expect(typeof before.version).toBe("number"); // read with the page's own cookie, not a 401
    await money.locator("[data-input]").fill("abc");
    await money.locator("[data-save]").click();
    await money.locator(".msg", { hasText: "金额无法识别：abc" }).waitFor();
    expect(await money.evaluate((e) => (e as unknown as { className: string }).className)).toContain(
      "refused",
    );
    const after = await versionOf();
    expect([after.version, after.current.form.totalBudget]).toEqual([
      before.version,
      before.current.form.totalBudget,
    ]);

    const field = page.locator('.field[data-field="form.overview"]');
    const text = await field.locator("textarea").inputValue();
    await field.locator("textarea").fill(`${text}力。`);
    // The save answers with the recomputed flags and cards: the page updates in place, no reload.
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await field.locator("[data-save]").click();
    await page.waitForSelector("text=已保存");
    await page.waitForSelector('.flags li[data-flag-field="form.basis"]');
    expect(navigations).toBe(0);
    expect(await page.locator('.flags li[data-flag-field="form.overview"]').count()).toBe(0);

    await page.keyboard.press("a");
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageDocument).document.getElementById("status")?.textContent === "已通过",
    );

    await exportTables(ctx.db, "csv", outDir);
    const forms = readFileSync(join(outDir, "sh_perf_2018_forms.csv"), "utf8");
    expect(forms).toContain(`${text}力。`);
    expect(readFileSync(join(outDir, "forms.csv"), "utf8")).toContain(",clean,"); // approved
    const corrections = readFileSync(join(outDir, "corrections.csv"), "utf8");
    expect(corrections).toContain("form.overview");
    expect(corrections).toContain("alice");
  }, 180_000);

  it("the documents page follows a document being read without being reloaded by hand", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 700 } });
    const sha256 = "ab".repeat(32);
    await registerDocument(ctx.db, { sha256, name: "正在读.pdf", size: 1, pages: 4 });
    await setDocumentStatus(ctx.db, sha256, { status: "processing", pagesDone: 1 });
    await page.goto(`${base}/documents?token=tok-alice`);
    const row = page.locator(`tr[data-submission]:has-text("正在读.pdf")`);
    expect(await row.locator("[data-progress-text]").textContent()).toBe("1 / 4 页");
    expect(await page.textContent("#running")).toContain("1 份正在读取");
    // Progress moves in place (the script polls /api/documents); the end reloads the row.
    await setDocumentStatus(ctx.db, sha256, { pagesDone: 3 });
    await row.locator("[data-progress-text]", { hasText: "3 / 4 页" }).waitFor({ timeout: 10_000 });
    await setDocumentStatus(ctx.db, sha256, { status: "done", pagesDone: 4 });
    await page
      .locator(`tr[data-submission][data-status="done"]:has-text("正在读.pdf")`)
      .waitFor({ timeout: 10_000 });
    expect(await page.locator("#running").count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "review-documents.png") });
    await page.close();
  }, 60_000);
});
