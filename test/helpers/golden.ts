import type { Extraction, Form } from "../../src/schema.js";

/**
 * Golden comparison: `form` must match exactly; flags as a multiset of code/severity/field;
 * `source.pages` exactly where the expected file knows them; every expected field path present
 * on the expected page with a bbox overlapping the expected cell (IoU >= 0.5) where known.
 */

/** `F`: the form's type (a 2018 form's unless told). */
export interface ExpectedForm<F extends object = Form> {
  schemaVersion: 1;
  template: string;
  source: { file: string; sha256: string; pages: number[] | null; formIndex: number };
  form: F;
  fields: Record<string, { page: number | null; bbox: [number, number, number, number] | null }> | null;
  flags: Array<{ code: string; severity: string; field: string | null }>;
}

function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  const area = (r: readonly number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return inter / (area(a) + area(b) - inter);
}

const flagKey = (f: { code: string; severity: string; field: string | null }) =>
  `${f.code} ${f.severity} ${f.field ?? "-"}`;

/** Returns a list of differences; empty means the extraction matches. */
export function compareGolden(actual: Extraction, expected: ExpectedForm<object>): string[] {
  const diffs: string[] = [];
  const a = actual.form as Record<string, unknown>;
  const e = expected.form as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (JSON.stringify(a[key]) !== JSON.stringify(e[key])) {
      diffs.push(
        `form.${key}: got ${JSON.stringify(a[key])?.slice(0, 300)} want ${JSON.stringify(e[key])?.slice(0, 300)}`,
      );
    }
  }
  const got = actual.flags.map(flagKey).sort();
  const want = expected.flags.map(flagKey).sort();
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g) => !want.includes(g));
    diffs.push(`flags: missing [${missing.join("; ")}] extra [${extra.join("; ")}]`);
  }
  if (
    expected.source.pages &&
    JSON.stringify(actual.source.pages) !== JSON.stringify(expected.source.pages)
  ) {
    diffs.push(
      `source.pages: got ${JSON.stringify(actual.source.pages)} want ${JSON.stringify(expected.source.pages)}`,
    );
  }
  if (actual.template !== expected.template)
    diffs.push(`template: got ${actual.template} want ${expected.template}`);
  if (actual.source.sha256 !== expected.source.sha256) diffs.push("source.sha256 differs");
  if (actual.source.formIndex !== expected.source.formIndex) diffs.push("source.formIndex differs");
  if (expected.fields) {
    for (const [path, want] of Object.entries(expected.fields)) {
      const got = actual.fields[path];
      if (!got) {
        diffs.push(`fields["${path}"] missing`);
        continue;
      }
      if (got.page !== want.page) diffs.push(`fields["${path}"].page: got ${got.page} want ${want.page}`);
      else if (want.bbox && (!got.bbox || iou(got.bbox, want.bbox) < 0.5)) {
        diffs.push(
          `fields["${path}"].bbox: got ${JSON.stringify(got.bbox)} want ${JSON.stringify(want.bbox)}`,
        );
      }
    }
  }
  return diffs;
}
