import { type Flag, makeFlag } from "../flags.js";
import type { CrossRule, FormTemplate } from "../templates/template.js";
import { checkboxGroups } from "../templates/template.js";

/** Cross-field checks over the normalized form: the template's rules, then its checkbox counts. All collected. */

type Values = Readonly<Record<string, unknown>>;

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function checkRule(rule: CrossRule, form: Values): Flag[] {
  switch (rule.rule) {
    case "sumOfColumn": {
      const total = num(form[rule.total]);
      const rows = (form[rule.table] ?? []) as ReadonlyArray<Values>;
      const amounts = rows.map((r) => num(r[rule.column]));
      if (total === null || amounts.length === 0 || amounts.some((a) => a === null)) return [];
      const sum = Math.round((amounts as number[]).reduce((a, b) => a + b, 0) * 100) / 100;
      if (sum === total) return [];
      const message = `${rule.what} add up to ${sum}, ${rule.total} is ${total}`;
      return [makeFlag(rule.code, `form.${rule.table}`, message)];
    }
    case "notAbove": {
      const value = num(form[rule.field]);
      const limit = num(form[rule.limit]);
      if (value === null || limit === null || value <= limit) return [];
      const message = rule.message.replace("{value}", String(value)).replace("{limit}", String(limit));
      return [makeFlag(rule.code, `form.${rule.field}`, message)];
    }
    case "dateOrder": {
      const start = str(form[rule.start]);
      const end = str(form[rule.end]);
      if (!start || !end || end >= start) return [];
      return [makeFlag(rule.code, `form.${rule.end}`, `${rule.end} ${end} is before ${rule.start} ${start}`)];
    }
    case "inYear": {
      const year = num(form.year);
      if (year === null) return [];
      return rule.fields.flatMap((key) => {
        const d = str(form[key]);
        if (!d || Number(d.slice(0, 4)) === year) return [];
        return [makeFlag(rule.code, `form.${key}`, `${key} ${d} is outside ${year}`)];
      });
    }
  }
}

export function crossCheck(form: object, template: FormTemplate): Flag[] {
  const values = form as Values;
  const flags = template.rules.flatMap((r) => checkRule(r, values));
  for (const { key } of checkboxGroups(template)) {
    const checked = (values[key] ?? []) as readonly string[];
    if (checked.length === 0)
      flags.push(makeFlag("CHECKBOX_NONE", `form.${key}`, `no option checked in ${key}`));
    if (checked.length > 1) {
      flags.push(makeFlag("CHECKBOX_MULTIPLE", `form.${key}`, `${checked.length} options checked in ${key}`));
    }
  }
  return flags;
}

/** The codes `crossCheck` may raise for a template: a reviewer's edit redoes all of them. */
export function crossCodes(template: FormTemplate): ReadonlySet<string> {
  return new Set([...template.rules.map((r) => r.code), "CHECKBOX_NONE", "CHECKBOX_MULTIPLE"]);
}
