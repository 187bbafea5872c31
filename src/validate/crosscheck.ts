import { type Flag, makeFlag } from "../flags.js";
import type { CrossRule, FormTemplate } from "../templates/template.js";
import { checkboxGroups, pathOf, valueAt } from "../templates/template.js";

/** Cross-field checks over the normalized form: the template's rules, then its checkbox counts. All collected. */

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const fen = (n: number) => Math.round(n * 100) / 100;

function checkRule(rule: CrossRule, form: object, optional: ReadonlySet<string>): Flag[] {
  const at = (path: string) => valueAt(form, path);
  switch (rule.rule) {
    case "sumOfColumn": {
      const total = num(at(rule.total));
      const rows = (at(rule.table) ?? []) as ReadonlyArray<object>;
      const amounts = rows.map((r) => num(valueAt(r, rule.column)));
      if (total === null || amounts.length === 0 || amounts.some((a) => a === null)) return [];
      const sum = fen((amounts as number[]).reduce((a, b) => a + b, 0));
      if (sum === total) return [];
      const message = `${rule.what} add up to ${sum}, ${rule.total} is ${total}`;
      return [makeFlag(rule.code, `form.${rule.table}`, message)];
    }
    case "notAbove": {
      const value = num(at(rule.field));
      const limit = num(at(rule.limit));
      if (value === null || limit === null || value <= limit) return [];
      const message = rule.message.replace("{value}", String(value)).replace("{limit}", String(limit));
      return [makeFlag(rule.code, `form.${rule.field}`, message)];
    }
    case "dateOrder": {
      const start = str(at(rule.start));
      const end = str(at(rule.end));
      if (!start || !end || end >= start) return [];
      return [makeFlag(rule.code, `form.${rule.end}`, `${rule.end} ${end} is before ${rule.start} ${start}`)];
    }
    case "inYear": {
      const year = num(at("year"));
      if (year === null) return [];
      return rule.fields.flatMap((key) => {
        const d = str(at(key));
        if (!d || Number(d.slice(0, 4)) === year) return [];
        return [makeFlag(rule.code, `form.${key}`, `${key} ${d} is outside ${year}`)];
      });
    }
    case "sumOfFields": {
      const total = num(at(rule.total));
      const parts = rule.parts.map((p) => num(at(p)) ?? (optional.has(p) ? 0 : null));
      if (total === null || parts.some((p) => p === null)) return [];
      const sum = fen((parts as number[]).reduce((a, b) => a + b, 0));
      if (sum === total) return [];
      const message = `${rule.parts.join(" + ")} is ${sum}, ${rule.total} is ${total}`;
      return [makeFlag("FUNDS_SUM_MISMATCH", `form.${rule.total}`, message)];
    }
    case "levelsUnder": {
      const rows = (at(rule.table) ?? []) as ReadonlyArray<object>;
      return rows.flatMap((r, i) => {
        const parent = str(valueAt(r, rule.parent));
        const child = str(valueAt(r, rule.child));
        if (!parent || !child) return [];
        const standard = Object.hasOwn(rule.standard, parent) ? rule.standard[parent] : undefined;
        if (standard?.includes(child)) return [];
        const why = standard
          ? `is not one of ${parent}'s (${standard.join("、")})`
          : `is under ${parent}, not a standard level`;
        return [
          makeFlag("INDICATOR_LEVEL_INVALID", `form.${rule.table}[${i}].${rule.child}`, `${child} ${why}`),
        ];
      });
    }
  }
}

export function crossCheck(form: object, template: FormTemplate): Flag[] {
  const optional = new Set(template.fields.filter((f) => !f.required).map(pathOf));
  const flags = template.rules.flatMap((r) => checkRule(r, form, optional));
  for (const { key } of checkboxGroups(template)) {
    const checked = (valueAt(form, key) ?? []) as readonly string[];
    if (checked.length === 0)
      flags.push(makeFlag("CHECKBOX_NONE", `form.${key}`, `no option checked in ${key}`));
    if (checked.length > 1) {
      flags.push(makeFlag("CHECKBOX_MULTIPLE", `form.${key}`, `${checked.length} options checked in ${key}`));
    }
  }
  return flags;
}

const RULE_CODES = { sumOfFields: "FUNDS_SUM_MISMATCH", levelsUnder: "INDICATOR_LEVEL_INVALID" } as const;

/** The codes `crossCheck` may raise for a template: a reviewer's edit redoes all of them. */
export function crossCodes(template: FormTemplate): ReadonlySet<string> {
  const codes = template.rules.map((r) => ("code" in r ? r.code : RULE_CODES[r.rule]));
  return new Set([...codes, "CHECKBOX_NONE", "CHECKBOX_MULTIPLE"]);
}
