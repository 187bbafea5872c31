import type { ResponseCode } from "../codes.js";
import { type Flag, makeFlag, needsReview, type ReviewPolicy } from "../flags.js";
import { type Extraction, ExtractionSchema, type FormValues } from "../schema.js";
import type { Db, Queryable } from "../store/db.js";
import { templateById } from "../templates/registry.js";
import { type FormTemplate, pathOf, valueAt } from "../templates/template.js";
import { formSchemaOf } from "../templates/zod.js";
import { crossCheck, crossCodes } from "../validate/crosscheck.js";
import { parseTarget } from "../values/target.js";
import { readEditValue } from "./edit-values.js";
import { implausible } from "./plausible.js";

/**
 * Reviewer corrections: an audit trail beside the untouched extraction. The current value is the
 * extraction with every correction applied; flags are recomputed after each edit; an edit names
 * the form version it was made on, and a stale one is refused.
 */

export class StaleEditError extends Error {
  readonly code: ResponseCode = "STALE_EDIT";
  constructor(readonly currentVersion: number) {
    super(`这份表单已被他人修改（现为第 ${currentVersion} 版）；请重新载入后再改`);
  }
}

export class InvalidEditError extends Error {
  readonly code: ResponseCode = "INVALID_EDIT";
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export interface StoredForm {
  id: number;
  version: number;
  extraction: Extraction;
  current: Extraction;
  reviewStatus: "pending" | "approved" | "rejected";
}

/** `form.<output path>`, or a table cell `form.<table>[i].<column>`; an output path may be dotted. */
const PATH = /^form\.(\w+(?:\.\w+)*)(?:\[(\d+)\]\.(\w+))?$/;

/** Flags produced by reading a cell: a reviewer's value for that cell replaces them. */
const READING_CODES = new Set([
  "MISSING_FIELD",
  "UNPARSEABLE_VALUE",
  "TRUNCATED_TEXT",
  "RECOVERED_CLIPPED_TEXT",
  "LOW_CONFIDENCE",
  "TARGET_RANGE_INVALID",
]);

function parseRow<T>(row: T | string): T {
  return typeof row === "string" ? (JSON.parse(row) as T) : row;
}

export async function loadForm(db: Queryable, id: number): Promise<StoredForm | null> {
  const { rows } = await db.query<{
    id: number;
    version: number;
    extraction: Extraction | string;
    current: Extraction | string | null;
    review_status: StoredForm["reviewStatus"];
  }>("SELECT id, version, extraction, current, review_status FROM forms WHERE id = $1", [id]);
  const r = rows[0];
  if (!r) return null;
  const extraction = parseRow(r.extraction);
  return {
    id: Number(r.id),
    version: Number(r.version),
    extraction,
    current: r.current ? parseRow(r.current) : extraction,
    reviewStatus: r.review_status,
  };
}

/** Reads a value at a correction path (`form.totalBudget`, `form.indicators[2].target`). */
export function getAt(form: FormValues, path: string): unknown {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const top = valueAt(form, m[1]!);
  if (m[2] === undefined) return top;
  return (Array.isArray(top) ? (top[Number(m[2])] as Record<string, unknown> | undefined) : undefined)?.[
    m[3]!
  ];
}

/** The column holds a target, whose parse is redone from its text. */
function isTargetColumn(template: FormTemplate, table: string, column: string): boolean {
  const kind = template.fields.find((f) => pathOf(f) === table)?.kind;
  return kind?.kind === "table" && kind.columns.some((c) => c.key === column && c.column.role === "target");
}

/** A copy of `form` with `value` at `path`; throws InvalidEditError for a path that does not exist. */
export function setAt<F extends FormValues>(
  form: F,
  path: string,
  value: unknown,
  template: FormTemplate,
): F {
  const m = PATH.exec(path);
  const next = structuredClone(form) as Record<string, unknown>;
  const steps = m?.[1]?.split(".") ?? [];
  const last = steps.pop() ?? "";
  const parent = steps.length === 0 ? next : valueAt(next, steps.join("."));
  const holder = parent !== null && typeof parent === "object" ? (parent as Record<string, unknown>) : null;
  const refuse = () =>
    new InvalidEditError(`不是可编辑的字段：${path}`, [{ path, message: "不是可编辑的字段" }]);
  if (!m || !holder || !(last in holder)) throw refuse();
  if (m[2] === undefined) {
    holder[last] = value;
    return next as F;
  }
  const list = holder[last];
  const row = Array.isArray(list) ? (list[Number(m[2])] as Record<string, unknown> | undefined) : undefined;
  if (!row || !(m[3]! in row) || m[3] === "parsed") throw refuse();
  row[m[3]!] = value;
  // A target's parse follows its text.
  if (isTargetColumn(template, m[1]!, m[3]!))
    row.parsed = typeof value === "string" && value !== "" ? parseTarget(value) : null;
  return next as F;
}

/** The same zod schema the extractor's output obeys (the form's template's); issues name the field. */
export function validateForm(
  form: FormValues,
  template: FormTemplate,
): Array<{ path: string; message: string }> {
  const result = formSchemaOf(template).safeParse(form);
  return result.success
    ? []
    : result.error.issues.map((i) => ({
        path: `form.${i.path.join(".").replace(/\.(\d+)\./g, "[$1].")}`,
        message: `不符合表单格式（${i.message}）`,
      }));
}

const touches = (field: string | null, corrected: ReadonlySet<string>) =>
  field !== null &&
  [...corrected].some((c) => field === c || field.startsWith(`${c}[`) || field.startsWith(`${c}.`));

/** Flags for the current form: reading flags of uncorrected cells kept, checks of edited cells and cross-checks redone. */
export function recomputeFlags(
  extraction: Extraction,
  current: FormValues,
  corrected: ReadonlySet<string>,
): Flag[] {
  const template = templateById(extraction.template);
  const cross = crossCodes(template);
  const optional = new Set(template.fields.filter((f) => !f.required).map(pathOf));
  const kept = extraction.flags.filter(
    (f) => !cross.has(f.code) && !(READING_CODES.has(f.code) && touches(f.field, corrected)),
  );
  const redone: Flag[] = [];
  for (const path of corrected) {
    const value = getAt(current, path);
    const key = path.replace(/^form\./, "");
    const empty =
      value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
    if (empty && !optional.has(key)) redone.push(makeFlag("MISSING_FIELD", path, "emptied by a reviewer"));
    if (/\.target$/.test(path) && typeof value === "string") {
      const parsed = parseTarget(value);
      if (parsed?.op === "between" && parsed.min > parsed.max)
        redone.push(makeFlag("TARGET_RANGE_INVALID", path, `range ${parsed.min} > ${parsed.max}`));
    }
  }
  return [...kept, ...redone, ...crossCheck(current, template)];
}

export interface Edit {
  field: string;
  value: unknown;
  /** The form version the reviewer saw. */
  version: number;
  reviewer: string;
  comment?: string | null;
  /** The process's review policy: the recomputed flags' `needs_review` is judged by it. */
  policy: ReviewPolicy;
}

/** Applies one correction; returns the new current extraction and version. */
export async function applyCorrection(
  db: Db,
  formId: number,
  edit: Edit,
): Promise<{ current: Extraction; version: number }> {
  return db.transaction(async (tx) => {
    const stored = await loadForm(tx, formId);
    if (!stored) throw new InvalidEditError(`没有第 ${formId} 号表单`, []);
    if (stored.version !== edit.version) throw new StaleEditError(stored.version);
    const old = getAt(stored.current.form, edit.field);
    const template = templateById(stored.current.template);
    // Read as the printed cell would be (dates, money in the field's unit, the year, a level).
    const read = readEditValue(template, edit.field, edit.value);
    if (!read.ok) throw new InvalidEditError(read.message, [{ path: edit.field, message: read.message }]);
    const value = read.value;
    const form = setAt(stored.current.form, edit.field, value, template);
    const issues = [...implausible(edit.field, value), ...validateForm(form, template)];
    if (issues.length > 0) throw new InvalidEditError(issues.map((i) => i.message).join("；"), issues);
    const { rows: prior } = await tx.query<{ field: string }>(
      "SELECT DISTINCT field FROM corrections WHERE form_id = $1 AND field LIKE 'form.%'",
      [formId],
    );
    const corrected = new Set([...prior.map((r) => r.field), edit.field]);
    const current: Extraction = ExtractionSchema.parse({
      ...stored.current,
      form,
      flags: recomputeFlags(stored.extraction, form, corrected),
    });
    const review = needsReview(current.flags, edit.policy);
    const updated = await tx.query<{ version: number }>(
      "UPDATE forms SET current = $2::jsonb, needs_review = $3, version = version + 1 WHERE id = $1 AND version = $4 RETURNING version",
      [formId, JSON.stringify(current), review, edit.version],
    );
    if (!updated.rows[0]) throw new StaleEditError(edit.version + 1);
    await audit(tx, formId, edit.field, old, value, edit.reviewer, edit.comment ?? null, edit.version);
    // A decision was made on other values: an edit reopens the form, and the trail says so.
    if (stored.reviewStatus !== "pending") {
      await tx.query(
        "UPDATE forms SET review_status = 'pending', review_comment = NULL, reviewed_by = NULL, reviewed_at = NULL WHERE id = $1",
        [formId],
      );
      await audit(
        tx,
        formId,
        REVIEW_FIELD,
        stored.reviewStatus,
        "pending",
        edit.reviewer,
        `因修改 ${edit.field} 重新待审`,
        edit.version,
      );
    }
    return { current, version: Number(updated.rows[0].version) };
  });
}

/** The audit trail's field for approvals, rejections and reopenings (form values are `form.…`). */
export const REVIEW_FIELD = "review_status";

async function audit(
  tx: Queryable,
  formId: number,
  field: string,
  old: unknown,
  value: unknown,
  reviewer: string,
  comment: string | null,
  version: number,
): Promise<void> {
  await tx.query(
    "INSERT INTO corrections (form_id, field, old_value, new_value, reviewer, comment, form_version) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)",
    [formId, field, JSON.stringify(old ?? null), JSON.stringify(value ?? null), reviewer, comment, version],
  );
}

/** Approves or rejects a form as of the version the reviewer saw; the decision is a row in the audit trail. */
export async function reviewForm(
  db: Db,
  formId: number,
  decision: { status: "approved" | "rejected"; version: number; reviewer: string; comment?: string | null },
): Promise<number> {
  return db.transaction(async (tx) => {
    const stored = await loadForm(tx, formId);
    if (!stored) throw new InvalidEditError(`没有第 ${formId} 号表单`, []);
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE forms SET review_status = $2, review_comment = $3, reviewed_by = $4, reviewed_at = now(), version = version + 1
       WHERE id = $1 AND version = $5 RETURNING version`,
      [formId, decision.status, decision.comment ?? null, decision.reviewer, decision.version],
    );
    if (!rows[0]) throw new StaleEditError(stored.version);
    await audit(
      tx,
      formId,
      REVIEW_FIELD,
      stored.reviewStatus,
      decision.status,
      decision.reviewer,
      decision.comment ?? null,
      decision.version,
    );
    return Number(rows[0].version);
  });
}
