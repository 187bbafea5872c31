import { needsReview, type ReviewPolicy } from "../flags.js";
import { type Extraction, ExtractionSchema, type FormValues } from "../schema.js";
import type { Queryable } from "../store/db.js";
import { audit, loadTrail, REVIEW_FIELD } from "./history.js";
import { flagsAfterTrail } from "./recompute.js";
import { StaleEditError, type StoredForm } from "./stored.js";

/**
 * Commits one change to a form's values (a cell, a row added or deleted, a flag dismissed): flags
 * recomputed from the whole trail with this change last, the version bumped, the audit row
 * written, and a decided form reopened (the trail says why).
 */

export interface Change {
  /** The audit row's field (history.ts names the kinds) and its old and new values. */
  field: string;
  old: unknown;
  value: unknown;
  /** The form values after the change (the same as before for a dismissal). */
  form: FormValues;
  /** Where each value was read, when a row op moved them (rows.ts); the stored ones otherwise. */
  fields?: Extraction["fields"];
  version: number;
  reviewer: string;
  comment?: string | null;
  policy: ReviewPolicy;
}

export async function commitChange(
  tx: Queryable,
  stored: StoredForm,
  change: Change,
): Promise<{ current: Extraction; version: number }> {
  if (stored.version !== change.version) throw new StaleEditError(stored.version);
  const trail = [
    ...(await loadTrail(tx, stored.id)),
    { field: change.field, old_value: change.old ?? null, new_value: change.value ?? null },
  ];
  const current: Extraction = ExtractionSchema.parse({
    ...stored.current,
    form: change.form,
    fields: change.fields ?? stored.current.fields,
    flags: flagsAfterTrail(stored.extraction, change.form, trail),
  });
  const review = needsReview(current.flags, change.policy);
  const updated = await tx.query<{ version: number }>(
    "UPDATE forms SET current = $2::jsonb, needs_review = $3, version = version + 1 WHERE id = $1 AND version = $4 RETURNING version",
    [stored.id, JSON.stringify(current), review, change.version],
  );
  if (!updated.rows[0]) throw new StaleEditError(change.version + 1);
  const comment = change.comment ?? null;
  await audit(
    tx,
    stored.id,
    change.field,
    change.old,
    change.value,
    change.reviewer,
    comment,
    change.version,
  );
  // A decision was made on other values: a change reopens the form, and the trail says so.
  if (stored.reviewStatus !== "pending") {
    await tx.query(
      "UPDATE forms SET review_status = 'pending', review_comment = NULL, reviewed_by = NULL, reviewed_at = NULL WHERE id = $1",
      [stored.id],
    );
    await audit(
      tx,
      stored.id,
      REVIEW_FIELD,
      stored.reviewStatus,
      "pending",
      change.reviewer,
      `因修改 ${change.field} 重新待审`,
      change.version,
    );
  }
  return { current, version: Number(updated.rows[0].version) };
}
