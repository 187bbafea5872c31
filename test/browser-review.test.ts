import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "../src/service/context.js";
import { ROOT } from "./helpers/cli.js";
import { type ReviewBrowser, startReviewBrowser } from "./helpers/review-browser.js";

/**
 * A flagged form reviewed flag by flag in a real browser (Debian's chromium, headless) with the
 * keyboard only: c034 (a sub-project missed: the sum is 100元 short; the end date before the
 * start) under a policy that also walks TRUNCATED_TEXT, so three flags. One is dismissed ("the
 * value is right"), a missed row is added, one is corrected (an invalid date refused first, the
 * reason beside the input), and the form approved; the place (current flag) and the comment stay
 * after every save, and no navigation happens.
 */

const SHOTS =
  process.env.FORMEX_SCREENSHOTS === "1" ? join(ROOT, "docs") : mkdtempSync(join(tmpdir(), "formex-shots-"));

/** The little of the page's DOM the waits read. */
interface PageDocument {
  document: {
    querySelectorAll(s: string): Iterable<{ complete: boolean; naturalWidth: number }>;
    getElementById(
      id: string,
    ): { textContent: string | null; complete?: boolean; naturalWidth?: number } | null;
  };
}

let rb: ReviewBrowser;
let ctx: Context;
let browser: Browser;
let base: string;
let formId: number;

beforeAll(async () => {
  rb = await startReviewBrowser("c034.pdf", "default,TRUNCATED_TEXT");
  ({ ctx, browser, base, formId } = rb);
});

afterAll(async () => {
  await rb?.close();
});

const text = (page: Page, sel: string) => page.locator(sel).textContent();

describe("flag-by-flag review in a browser, keyboard only", () => {
  it("three flags: dismiss, add the missed row, correct (refused first), approve — 10 keystrokes (≤ 12) besides the typed values", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    await page.goto(`${base}/forms/${formId}?token=tok-alice`);
    await page.waitForSelector("#flag-panel");
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    /** Commands pressed (counted) and characters typed as values or the comment (counted apart). */
    let keys = 0;
    let typed = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    const type = async (t: string) => {
      typed += [...t].length;
      await page.keyboard.type(t);
    };
    const place = async () => ({
      pos: await text(page, "#fp-pos"),
      label: await text(page, "#fp-label"),
      comment: await page.locator("#comment").inputValue(),
    });

    expect(await text(page, "#flag-count")).toBe("3");
    expect(await place()).toMatchObject({ pos: "1 / 3", label: "项目概况" });
    expect(await text(page, "#fp-zh")).toContain("文字在格内被截断");
    // The first flag is outlined as soon as its page image has loaded (boxes scale by its size).
    await page.waitForFunction(() =>
      [...(globalThis as unknown as PageDocument).document.querySelectorAll(".page img")].every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    );
    const first = await page.locator('.hl[data-field="form.overview"]').boundingBox();
    expect(first && first.width > 100 && first.height > 20).toBe(true);

    // The safety net (not part of the count): approving over two open errors asks first.
    await page.keyboard.press("a");
    await page.locator("#review-msg", { hasText: "还有 2 个错误标记未处理" }).waitFor();
    expect(await text(page, "#status")).toBe("待审核");
    await page.keyboard.press("Escape");
    await page.locator("#review-msg", { hasText: "已取消" }).waitFor();

    // The comment, typed once, goes with every change and stays.
    await press("c");
    await type("核对原件");
    await press("Escape");

    // 1. The cut text is as printed: y dismisses it and the panel moves on.
    await press("y");
    await page.locator("#flag-count", { hasText: "2" }).waitFor();
    expect(await place()).toEqual({ pos: "1 / 2", label: "项目当年投入资金构成", comment: "核对原件" });
    // A sum mismatch outlines the total and every amount it adds up; the crop is cut at 3×.
    await page.waitForFunction(() => {
      // Run in the page, so inline: the project's types have no DOM.
      const c = (globalThis as unknown as PageDocument).document.getElementById("fp-crop");
      return c?.complete === true && (c.naturalWidth ?? 0) > 0;
    });
    expect(await page.locator(".hl").count()).toBe(10);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "review-flag-panel.png") });

    // 2. A sub-project was missed: i opens the table's new row, Tab to the amount, Enter adds it.
    await press("i");
    await type("漏读的子项目");
    await press("Tab");
    await type("100");
    await press("Enter");
    await page.locator("#flag-count", { hasText: "1" }).waitFor();
    expect(await place()).toEqual({ pos: "1 / 1", label: "结束时间", comment: "核对原件" });

    // 3. The end date: e edits it; a date that does not exist is refused beside the input.
    await press("e");
    await type("2018-13-45");
    await press("Enter");
    await page.locator("#fp-msg", { hasText: "日期无法识别或不存在：2018-13-45" }).waitFor();
    expect(await place()).toEqual({ pos: "1 / 1", label: "结束时间", comment: "核对原件" });
    await type("2018-12-31"); // the refused value is selected: typing replaces it
    await press("Enter");
    await page.locator("#flag-count", { hasText: "0" }).waitFor();
    expect(await text(page, "#fp-label")).toBe("没有待处理的标记");
    expect(await page.locator("#comment").inputValue()).toBe("核对原件");

    // 4. No error is open: a approves at once.
    await press("a");
    await page.locator("#status", { hasText: "已通过" }).waitFor();
    expect(keys).toBe(10);
    expect(keys).toBeLessThanOrEqual(12);
    expect(typed).toBe("核对原件漏读的子项目1002018-13-452018-12-31".length);
    expect(navigations).toBe(0);

    // u undoes the decision (audited); a decides again.
    await page.keyboard.press("u");
    await page.locator("#status", { hasText: "待审核" }).waitFor();
    await page.keyboard.press("a");
    await page.locator("#status", { hasText: "已通过" }).waitFor();

    const { rows } = await ctx.db.query<{ field: string; comment: string | null; reviewer: string }>(
      "SELECT field, comment, reviewer FROM corrections WHERE form_id = $1 ORDER BY id",
      [formId],
    );
    expect(rows.map((r) => r.field)).toEqual([
      "flag:TRUNCATED_TEXT@form.overview",
      "form.subProjects[9]",
      "form.endDate",
      "review_status",
      "review_status",
      "review_status",
    ]);
    expect(rows.slice(0, 4).every((r) => r.comment === "核对原件" && r.reviewer === "alice")).toBe(true);
    const form = (await (await page.request.get(`${base}/api/forms/${formId}`)).json()) as {
      reviewStatus: string;
      current: { form: { endDate: string; subProjects: unknown[] }; flags: Array<{ code: string }> };
    };
    expect(form.reviewStatus).toBe("approved");
    expect(form.current.form.endDate).toBe("2018-12-31");
    expect(form.current.form.subProjects.at(-1)).toEqual({ name: "漏读的子项目", amount: 100 });
    expect(form.current.flags.map((f) => f.code)).toEqual([]);
  }, 120_000);
});
