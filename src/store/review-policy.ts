import { needsReview, type ReviewPolicy } from "../flags.js";
import type { Db, Queryable } from "./db.js";

/**
 * The stored `forms.needs_review` is `needsReview(current flags, policy)` under the policy the
 * database was last opened with (table `review_policy`, migration 4): every writer (a stored
 * document, a correction) computes it with its process's policy, and a process opened with
 * another policy marks every stored form again before it serves or exports anything, so the
 * queue, `results --flagged`, the API and the export views agree with it. Processes sharing one
 * database should share one policy: the last one opened wins.
 */

/** The form is waiting for a reviewer: its flags need review and no decision was made on them. */
export const IN_REVIEW_SQL = "(needs_review AND review_status = 'pending')";

async function storedPolicy(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ codes: unknown }>("SELECT codes FROM review_policy WHERE id = 1");
  const codes = rows[0]?.codes;
  if (codes === undefined) return null;
  return JSON.stringify(typeof codes === "string" ? JSON.parse(codes) : codes);
}

/**
 * Makes the database's `needs_review` follow `policy`: nothing to do when it already does; else
 * every form is judged again (in one transaction, under a lock, so concurrent openers take turns).
 * Returns how many forms changed.
 */
export async function applyReviewPolicy(db: Db, policy: ReviewPolicy): Promise<number> {
  const wanted = JSON.stringify(policy.codes);
  if ((await storedPolicy(db)) === wanted) return 0;
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(4242019)");
    if ((await storedPolicy(tx)) === wanted) return 0;
    const { rows } = await tx.query<{ id: number; flags: unknown; needs_review: boolean }>(
      "SELECT id, COALESCE(current, extraction)->'flags' AS flags, needs_review FROM forms",
    );
    const changed = rows.flatMap((r) => {
      const flags = (typeof r.flags === "string" ? JSON.parse(r.flags) : r.flags) as Array<{ code: string }>;
      const review = needsReview(flags ?? [], policy);
      return review === r.needs_review ? [] : [{ id: Number(r.id), needs_review: review }];
    });
    if (changed.length > 0)
      await tx.query(
        `UPDATE forms f SET needs_review = r.needs_review
         FROM jsonb_to_recordset($1::jsonb) AS r(id BIGINT, needs_review BOOLEAN) WHERE f.id = r.id`,
        [JSON.stringify(changed)],
      );
    await tx.query(
      `INSERT INTO review_policy (id, codes) VALUES (1, $1::jsonb)
       ON CONFLICT (id) DO UPDATE SET codes = EXCLUDED.codes, applied_at = now()`,
      [wanted],
    );
    return changed.length;
  });
}
