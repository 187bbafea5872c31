import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Context } from "../src/service/context.js";
import { type ReviewBrowser, startReviewBrowser } from "./helpers/review-browser.js";

/**
 * Two edits the flag panel makes with the keyboard alone, in a real browser (Debian's chromium):
 * c031 (no 项目类型 ticked: CHECKBOX_NONE, its only flag) has a sub-project deleted (d, ↓, Enter;
 * the current flag kept though the sum now mismatches) and its checkbox group ticked in the panel
 * (e, ↓, Space, Enter), each an audited correction with the flags recomputed.
 */

let rb: ReviewBrowser;
let ctx: Context;
let browser: Browser;
let base: string;
let formId: number;

beforeAll(async () => {
  rb = await startReviewBrowser("c031.pdf");
  ({ ctx, browser, base, formId } = rb);
});

afterAll(async () => {
  await rb?.close();
});

const text = (page: Page, sel: string) => page.locator(sel).textContent();

interface Trail {
  field: string;
  old_value: unknown;
  new_value: unknown;
  reviewer: string;
}
const trail = async () =>
  (
    await ctx.db.query<Trail>(
      "SELECT field, old_value, new_value, reviewer FROM corrections WHERE form_id = $1 ORDER BY id",
      [formId],
    )
  ).rows;

interface Current {
  current: {
    form: { projectType: string[]; subProjects: Array<{ name: string }> };
    flags: Array<{ code: string }>;
  };
}

describe("the flag panel's keyboard edits", () => {
  it("d, ↓, Enter deletes a sub-project (audited, gone after the save) and the current flag stays", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/forms/${formId}?token=tok-alice`);
    await page.waitForSelector("#flag-panel");
    expect(await text(page, "#flag-count")).toBe("1");
    expect(await text(page, "#fp-label")).toBe("项目类型");
    expect(await text(page, "#fp-chip")).toBe("CHECKBOX_NONE");

    await page.keyboard.press("d");
    await page.keyboard.press("ArrowDown");
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document
            .activeElement.textContent,
      ),
    ).toBe("删除第 2 行");
    await page.keyboard.press("Enter");
    await page.locator("#review-msg", { hasText: "已删除一行" }).waitFor();
    // The sum no longer adds up (a new flag), but the reviewer is still on the flag they were at.
    expect(await text(page, "#flag-count")).toBe("2");
    expect(await text(page, "#fp-label")).toBe("项目类型");
    expect(await text(page, "#fp-chip")).toBe("CHECKBOX_NONE");

    const rows = await trail();
    expect(rows.map((r) => [r.field, r.new_value, r.reviewer])).toEqual([
      ["form.subProjects[1]", null, "alice"],
    ]);
    expect(rows[0]!.old_value).toMatchObject({ name: "学生午餐补贴（按在校生人数核定）" });
    const got = (await (await page.request.get(`${base}/api/forms/${formId}`)).json()) as Current;
    expect(got.current.form.subProjects.map((r) => r.name)).toHaveLength(4);
    expect(got.current.form.subProjects.map((r) => r.name)).not.toContain("学生午餐补贴（按在校生人数核定）");
    expect(got.current.flags.map((f) => f.code).sort()).toEqual(["CHECKBOX_NONE", "SUBPROJECT_SUM_MISMATCH"]);
    await page.close();
  }, 60_000);

  it("e, ↓ ↓, Space, Enter ticks 项目类型 in the panel: an audited correction, the flag gone, the panel on the next", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/forms/${formId}?token=tok-alice`);
    await page.waitForSelector("#flag-panel");
    // Walk to the checkbox flag (its place among the two is the walk's order).
    const at = async () => text(page, "#fp-chip");
    if ((await at()) !== "CHECKBOX_NONE") await page.keyboard.press("n");
    expect(await at()).toBe("CHECKBOX_NONE");
    expect(await page.locator("#fp-input input[type=checkbox]").count()).toBe(5);

    for (const key of ["e", "ArrowDown", "ArrowDown", "Space", "Enter"]) await page.keyboard.press(key);
    await page.locator("#fp-msg", { hasText: "已更正“项目类型”" }).waitFor();
    expect(await text(page, "#flag-count")).toBe("1");
    expect(await at()).toBe("SUBPROJECT_SUM_MISMATCH");

    const last = (await trail()).at(-1)!;
    expect([last.field, last.old_value, last.new_value, last.reviewer]).toEqual([
      "form.projectType",
      [],
      ["其他一次性项目"],
      "alice",
    ]);
    const got = (await (await page.request.get(`${base}/api/forms/${formId}`)).json()) as Current;
    expect(got.current.form.projectType).toEqual(["其他一次性项目"]);
    expect(got.current.flags.map((f) => f.code)).toEqual(["SUBPROJECT_SUM_MISMATCH"]);
    // The field card below shows the tick too (the page's parts were replaced in place).
    expect(
      await page.locator('.field[data-field="form.projectType"] input[value="其他一次性项目"]').isChecked(),
    ).toBe(true);
    await page.close();
  }, 60_000);
});
