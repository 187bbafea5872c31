import {
  EFFECT_INDICATORS,
  IMPACT_INDICATORS,
  INPUT_INDICATORS,
  LONG_QUAL_TARGETS,
  QUAL_TARGETS,
} from "./bank-indicators.js";
import { type Domain, parseIndicatorDef } from "./bank-types.js";
import type { Rand } from "./prng.js";
import { makeTarget, type Parsed } from "./targets.js";
import { cutInSource, fill, type TextContext } from "./text.js";

/** The 分解目标 sub-table of one form: 5–25 rows over some or all of the four categories. */

export const CATEGORIES = ["投入和管理目标", "产出目标", "效果目标", "影响力目标"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface IndicatorTruth {
  category: Category;
  name: string;
  target: string;
  parsed: Parsed;
  shape: string;
}

const QUALIFIERS = ["（按季度考核）", "（含补录）", "（抽样调查）", "（全年累计）", "（第三方测评）"];

/** Which categories a form uses: most use all four, some only a few, always 产出目标. */
function categoriesOf(r: Rand): Category[] {
  return r.weighted<Category[]>([
    [[...CATEGORIES], 60],
    [["产出目标", "效果目标"], 10],
    [["投入和管理目标", "产出目标", "效果目标"], 15],
    [["产出目标", "效果目标", "影响力目标"], 15],
  ]);
}

function bankOf(domain: Domain, c: Category): string[] {
  switch (c) {
    case "投入和管理目标":
      return INPUT_INDICATORS;
    case "产出目标":
      return domain.output;
    case "效果目标":
      return [...domain.effect, ...EFFECT_INDICATORS];
    case "影响力目标":
      return IMPACT_INDICATORS;
  }
}

export function makeIndicators(r: Rand, domain: Domain, ctx: TextContext): IndicatorTruth[] {
  const cats = categoriesOf(r);
  const total = r.weighted<number>([
    [r.int(5, 7), 2],
    [r.int(8, 14), 5],
    [r.int(15, 20), 4],
    [r.int(21, 25), 2],
  ]);
  // 产出目标 carries most rows; every used category gets at least one.
  const counts = new Map<Category, number>(cats.map((c) => [c, 1]));
  for (let left = total - cats.length; left > 0; left--) {
    const c = r.weighted(cats.map((k) => [k, k === "产出目标" ? 4 : k === "效果目标" ? 2 : 1] as const));
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const out: IndicatorTruth[] = [];
  const names = new Set<string>();
  for (const c of cats) {
    const bank = bankOf(domain, c);
    const want = Math.min(counts.get(c) ?? 1, bank.length);
    for (const row of r.sample(bank, want)) {
      const def = parseIndicatorDef(row);
      if (names.has(def.name)) continue;
      names.add(def.name);
      let longQual = "";
      const staff = r.int(3, 12);
      if (def.kind === "longqual") {
        longQual = fill(r.pick(LONG_QUAL_TARGETS), ctx).replace("{staff}", String(staff));
        // The source system cut some of these, as in the seed (`…学会学术部`).
        if (r.chance(0.35)) longQual = cutInSource(r, longQual);
      }
      const t = makeTarget(r, def, QUAL_TARGETS[c] ?? [], longQual);
      // A sentence with a bound in it is read by the same rules as a short target.
      if (longQual.includes(`不少于${staff}人`)) t.parsed = { op: ">=", value: staff, unit: "人" };
      const name = r.chance(0.08) ? def.name + r.pick(QUALIFIERS) : def.name;
      out.push({ category: c, name, target: t.text, parsed: t.parsed, shape: t.shape });
    }
  }
  return out;
}
