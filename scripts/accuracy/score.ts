/**
 * Accuracy of extracted forms against their expected output, on the measures issue 8 names:
 * fields exact, long-text CER, rows F1, targets parsed, silent wrong (a wrong field that no
 * error or warning flag points at), flagged-but-right (review load), false error flags. Used by
 * `npm run bench:accuracy` and by the corpus sample test. Independent of formex's own parsers:
 * it compares JSON values.
 */
import { editDistance } from "../../src/text/distance.js";

export interface ScoredForm {
  form: Record<string, unknown>;
  flags: Array<{ code: string; severity: string; field: string | null }>;
  fields?: Record<string, { confidence: number }> | null;
}

/** The long free texts, scored by character error rate instead of exact equality. */
export const LONG_TEXT_KEYS = [
  "overview",
  "basis",
  "necessity",
  "safeguards",
  "implementationPlan",
  "overallGoal",
  "annualGoal",
] as const;
/** A long text with a character error rate above this is a wrong field (the CER target). */
export const LONG_TEXT_WRONG_CER = 0.01;
/** Flags that say "cut off on paper" or "recovered", not "this value may be misread". */
const NOT_POINTING = new Set(["TRUNCATED_TEXT", "RECOVERED_CLIPPED_TEXT"]);

export type FieldKind = "money" | "date" | "year" | "checkbox" | "name" | "target" | "text" | "longText";

export interface FieldResult {
  path: string;
  kind: FieldKind;
  right: boolean;
  /** An error or warning flag points at it (or at the row or list holding it). */
  flagged: boolean;
  confidence: number | null;
  got: unknown;
  want: unknown;
}

export interface FormScore {
  fields: FieldResult[];
  longText: { errors: number; length: number };
  rows: { matched: number; got: number; want: number };
  targets: { parsedRight: number; total: number };
  falseErrors: string[];
  missedFlags: string[];
}

const squash = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/gu, "") : v);
const same = (a: unknown, b: unknown) => JSON.stringify(squash(a)) === JSON.stringify(squash(b));

const SCALARS: Array<[string, FieldKind]> = [
  ["year", "year"],
  ["applicant", "name"],
  ["projectName", "name"],
  ["projectType", "checkbox"],
  ["fundUse", "checkbox"],
  ["startDate", "date"],
  ["endDate", "date"],
  ["totalBudget", "money"],
  ["currentYearBudget", "money"],
  ["priorYearBudget", "money"],
  ["priorYearExecuted", "money"],
  ["remarks", "text"],
];

type Row = Record<string, unknown>;

/** Rows aligned in order: a got row matches the next want row whose name is close to it. */
function alignRows(got: Row[], want: Row[]): Array<[Row | null, Row | null, number, number]> {
  const out: Array<[Row | null, Row | null, number, number]> = [];
  let g = 0;
  for (let w = 0; w < want.length; w++) {
    const name = String(squash(want[w]!.name) ?? "");
    let found = -1;
    for (let k = g; k < Math.min(got.length, g + 3); k++) {
      const gn = String(squash(got[k]!.name) ?? "");
      if (editDistance(gn, name) <= Math.max(1, Math.floor(name.length * 0.3))) {
        found = k;
        break;
      }
    }
    if (found < 0) {
      out.push([null, want[w]!, -1, w]);
      continue;
    }
    for (; g < found; g++) out.push([got[g]!, null, g, -1]);
    out.push([got[found]!, want[w]!, found, w]);
    g = found + 1;
  }
  for (; g < got.length; g++) out.push([got[g]!, null, g, -1]);
  return out;
}

/**
 * `fileFailed`: the file this form was expected in reported an error (it is named on stderr and
 * stored with its code), so a form missing from it is not lost silently.
 */
export function scoreForm(got: ScoredForm | undefined, want: ScoredForm, fileFailed = false): FormScore {
  const gf = got?.form ?? {};
  const wf = want.form;
  const pointing = (got?.flags ?? []).filter((f) => f.severity !== "info" && !NOT_POINTING.has(f.code));
  const flaggedAt = (path: string) =>
    (!got && fileFailed) ||
    pointing.some(
      (f) =>
        f.field !== null &&
        (f.field === path ||
          path.startsWith(`${f.field}.`) ||
          path.startsWith(`${f.field}[`) ||
          f.field.startsWith(`${path}.`)),
    );
  const conf = (path: string) => got?.fields?.[path]?.confidence ?? null;
  const fields: FieldResult[] = [];
  const add = (path: string, kind: FieldKind, g: unknown, w: unknown, right = same(g, w)) =>
    fields.push({ path, kind, right, flagged: flaggedAt(path), confidence: conf(path), got: g, want: w });

  for (const [key, kind] of SCALARS) add(`form.${key}`, kind, gf[key] ?? null, wf[key] ?? null);
  const longText = { errors: 0, length: 0 };
  for (const key of LONG_TEXT_KEYS) {
    const w = String(squash(wf[key] ?? ""));
    const g = String(squash(gf[key] ?? ""));
    const errors = editDistance(g, w);
    longText.errors += errors;
    longText.length += [...w].length;
    const cer = w.length === 0 ? (g.length === 0 ? 0 : 1) : errors / [...w].length;
    add(`form.${key}`, "longText", gf[key] ?? null, wf[key] ?? null, cer <= LONG_TEXT_WRONG_CER);
  }

  const rows = { matched: 0, got: 0, want: 0 };
  const targets = { parsedRight: 0, total: 0 };
  const table = (key: "subProjects" | "indicators", cols: Array<[string, FieldKind]>) => {
    const g = (gf[key] as Row[] | undefined) ?? [];
    const w = (wf[key] as Row[] | undefined) ?? [];
    rows.got += g.length;
    rows.want += w.length;
    for (const [gr, wr, gi, wi] of alignRows(g, w)) {
      if (gr && wr) rows.matched++;
      if (key === "indicators" && wr) {
        targets.total++;
        if (gr && same(gr.parsed, wr.parsed)) targets.parsedRight++;
      }
      // A row formex invented (or one it lost) is a wrong field at the row's path.
      if (!gr || !wr) {
        const path = `form.${key}[${gr ? gi : wi}]`;
        fields.push({
          path,
          kind: "name",
          right: false,
          flagged: flaggedAt(path) || flaggedAt(`form.${key}`),
          confidence: null,
          got: gr,
          want: wr,
        });
        continue;
      }
      for (const [col, kind] of cols)
        add(`form.${key}[${gi}].${col}`, kind, gr[col] ?? null, wr[col] ?? null);
    }
  };
  table("subProjects", [
    ["name", "name"],
    ["amount", "money"],
  ]);
  table("indicators", [
    ["category", "name"],
    ["name", "name"],
    ["target", "target"],
  ]);

  const key = (f: { code: string; field: string | null }) => `${f.code}@${f.field}`;
  const wantFlags = new Set(want.flags.map(key));
  const gotFlags = new Set((got?.flags ?? []).map(key));
  const falseErrors = (got?.flags ?? [])
    .filter((f) => f.severity === "error" && !wantFlags.has(key(f)))
    .map(key);
  const missedFlags = want.flags.filter((f) => !gotFlags.has(key(f))).map(key);
  return { fields, longText, rows, targets, falseErrors, missedFlags };
}

export interface Totals {
  forms: number;
  fields: number;
  exact: number;
  byKind: Record<string, { right: number; total: number }>;
  cer: number;
  rowsF1: number;
  targetsParsed: number;
  silentWrong: FieldResult[];
  flaggedRight: number;
  falseErrors: string[];
  missedFlags: string[];
}

export function totals(scores: readonly FormScore[]): Totals {
  const all = scores.flatMap((s) => s.fields);
  const byKind: Totals["byKind"] = {};
  for (const f of all) {
    const k = byKind[f.kind] ?? { right: 0, total: 0 };
    byKind[f.kind] = k;
    k.total++;
    if (f.right) k.right++;
  }
  const sum = (pick: (s: FormScore) => number) => scores.reduce((a, s) => a + pick(s), 0);
  const matched = sum((s) => s.rows.matched);
  const precision =
    matched /
    Math.max(
      1,
      sum((s) => s.rows.got),
    );
  const recall =
    matched /
    Math.max(
      1,
      sum((s) => s.rows.want),
    );
  return {
    forms: scores.length,
    fields: all.length,
    exact: all.filter((f) => f.right).length,
    byKind,
    cer:
      sum((s) => s.longText.errors) /
      Math.max(
        1,
        sum((s) => s.longText.length),
      ),
    rowsF1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    targetsParsed:
      sum((s) => s.targets.parsedRight) /
      Math.max(
        1,
        sum((s) => s.targets.total),
      ),
    silentWrong: all.filter((f) => !f.right && !f.flagged),
    flaggedRight: all.filter((f) => f.right && f.flagged).length,
    falseErrors: scores.flatMap((s) => s.falseErrors),
    missedFlags: scores.flatMap((s) => s.missedFlags),
  };
}
