import { type Extraction, ExtractionSchema } from "./schema.js";

/**
 * A stored form printed in the output contract's key order. The database keeps forms as JSONB,
 * which orders an object's keys by length and then bytes (`form`, `flags`, `fields`, `source`, …);
 * `formex results` prints them as the contract and its template list them instead (envelope, source,
 * form, flag and provenance keys), and the `fields` map in the order of the form's own values
 * (`form.year`, `form.projectName`, … `form.indicators[0].name`), so the same store prints the
 * same bytes whatever the database did to the keys.
 */

/** Every path in a form value, parents before children, in the value's key order. */
function formPaths(value: unknown, path: string, out: string[]): string[] {
  out.push(path);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) formPaths(v, `${path}[${i}]`, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) formPaths(v, `${path}.${k}`, out);
  return out;
}

/** `fields` in the form's order; paths the form does not hold last, sorted. */
function orderFields(form: unknown, fields: Extraction["fields"]): Extraction["fields"] {
  const rank = new Map(formPaths(form, "form", []).map((p, i) => [p, i]));
  const keys = Object.keys(fields).sort((a, b) => {
    const ra = rank.get(a) ?? Number.POSITIVE_INFINITY;
    const rb = rank.get(b) ?? Number.POSITIVE_INFINITY;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(keys.map((k) => [k, fields[k]!]));
}

/** The extraction with its keys in the contract's order (as stored when it does not parse). */
export function inContractOrder(stored: Extraction): Extraction {
  const parsed = ExtractionSchema.safeParse(stored);
  if (!parsed.success) return stored;
  const x = parsed.data;
  return { ...x, fields: orderFields(x.form, x.fields) };
}

/** A stored form as `formex results` prints it: its ids first, then the form in contract order. */
export function resultRecord(f: { id: number; documentId: number; extraction: Extraction }) {
  return { id: f.id, documentId: f.documentId, ...inContractOrder(f.extraction) };
}
