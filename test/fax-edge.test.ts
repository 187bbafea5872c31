import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ScoredForm, scoreForm, totals } from "../scripts/accuracy/score.js";
import { ROOT } from "./helpers/cli.js";
import { readFile } from "./helpers/extract.js";

/**
 * A fax whose transmission drew a streak down the sheet a few points right of the name column's
 * rule and lost scanlines through the 影响力目标 label (fixtures/corpus/scan-edge/fax200-c022, made
 * by `npm run corpus:scans -- --edge`). Before scanner-lines.ts every indicator name lost its first
 * glyphs and nine indicators their category (MISSING_FIELD errors the paper does not warrant).
 */
describe("a fax with a streak down the sheet and lost scanlines", () => {
  it("keeps every indicator's category and name row, raises no error the paper does not warrant, and leaves no wrong field unflagged", async () => {
    const file = join(ROOT, "fixtures/corpus/scan-edge/fax200-c022.pdf");
    const want = JSON.parse(
      readFileSync(join(ROOT, "fixtures/corpus/scan-edge/fax200-c022.json"), "utf8"),
    ) as ScoredForm[];
    const r = await readFile(file);
    expect(r.forms).toHaveLength(1);
    const got = r.forms[0] as unknown as ScoredForm;
    const score = scoreForm(got, want[0]!);
    expect(score.falseErrors).toEqual([]);
    const t = totals([score]);
    expect(t.silentWrong.map((f) => `${f.path}: ${JSON.stringify(f.got)}`)).toEqual([]);
    const categories = (f: ScoredForm) =>
      ((f.form as { indicators?: Array<{ category: string | null }> }).indicators ?? []).map(
        (i) => i.category,
      );
    expect(categories(got)).toEqual(categories(want[0]!));
    // Rows found: every indicator of the paper is there, matched by name (names may be flagged).
    expect(score.rows.matched / score.rows.want).toBeGreaterThanOrEqual(0.9);
  });
});
