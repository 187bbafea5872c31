import type { ReviewPolicy } from "../flags.js";
import type { Extraction } from "../schema.js";
import { TEMPLATES } from "../templates/registry.js";
import type { Queryable } from "./db.js";
import { storeColumn, typed } from "./views.js";

/**
 * The review queue in SQL: which stored forms a reviewer sees (status, flag code, applicant,
 * file), in which order (worst open flag, applicant, file, lowest field confidence), a page of
 * them, the counts per status and per flag code, and a form's neighbours in that same order (the
 * form page's j/k). "Open" flags are the ones the review policy routes (actionableFlags).
 */

export const QUEUE_SORTS = ["severity", "applicant", "file", "confidence"] as const;
export const QUEUE_STATUSES = ["pending", "approved", "rejected", "all"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
export const QUEUE_PAGE_SIZE = 50;

export interface QueueQuery {
  status: QueueStatus;
  sort: QueueSort;
  flag: string | null;
  applicant: string | null;
  file: string | null;
  /** 1-based; a page past the last reads as the last. */
  page: number;
}

export interface QueueRecord {
  id: number;
  file: string;
  reviewStatus: string;
  /** The lowest confidence of the form's fields; null for a form without any. */
  lowConfidence: number | null;
  current: Extraction;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const BASE = `FROM forms f JOIN documents d ON d.id = f.document_id,
  LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x`;
const SEVERITY = (policy: ReviewPolicy) => {
  const open = policy.codes.length ? `g->>'code' IN (${policy.codes.map(lit).join(", ")})` : "FALSE";
  const rank = "CASE g->>'severity' WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END";
  return `, LATERAL (SELECT COALESCE(max(${rank}) FILTER (WHERE ${open}), 0) AS worst, count(*) FILTER (WHERE ${open}) AS open
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(x.c->'flags') = 'array' THEN x.c->'flags' ELSE '[]'::jsonb END) g) s`;
};
const CONFIDENCE = `, LATERAL (SELECT min(${typed.double("e.v->'confidence'")}) AS low
    FROM jsonb_each(CASE WHEN jsonb_typeof(x.c->'fields') = 'object' THEN x.c->'fields' ELSE '{}'::jsonb END) e(k, v)) conf`;
/** The forms with what `sort` orders by: only that key is computed (each is a pass over every form's JSON). */
const FROM = (policy: ReviewPolicy, sort?: QueueSort) =>
  `${BASE}${sort === "severity" ? SEVERITY(policy) : ""}${sort === "confidence" ? CONFIDENCE : ""}`;
const APPLICANT = `(${storeColumn(TEMPLATES, "applicant", typed.text)})::text`;

/** Every order ends on the form id: one total order, so pages and neighbours never disagree. */
const ORDER: Record<QueueSort, string> = {
  severity: "s.worst DESC, s.open DESC, f.id",
  applicant: `${APPLICANT} COLLATE "C" NULLS LAST, f.id`,
  file: `d.name COLLATE "C", f.form_index, f.id`,
  confidence: "conf.low NULLS LAST, f.id",
};

/** `%`, `_` and `\` typed in a search box are themselves, not patterns. */
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE of a query; `except` leaves out the filter a count is broken down by. */
function whereOf(q: QueueQuery, params: unknown[], except?: "status" | "flag"): string {
  // Waiting for review (the stored needs_review is the policy's, review-policy.ts), or decided.
  const where = ["(f.needs_review OR f.review_status <> 'pending')"];
  if (except !== "status" && q.status !== "all") {
    params.push(q.status);
    where.push(`f.review_status = $${params.length}`);
    if (q.status === "pending") where.push("f.needs_review");
  }
  if (except !== "flag" && q.flag) {
    params.push(q.flag);
    where.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(x.c->'flags') = 'array' THEN x.c->'flags' ELSE '[]'::jsonb END) h WHERE h->>'code' = $${params.length})`,
    );
  }
  if (q.applicant) {
    params.push(like(q.applicant));
    where.push(`${APPLICANT} ILIKE $${params.length}`);
  }
  if (q.file) {
    params.push(like(q.file));
    where.push(`d.name ILIKE $${params.length}`);
  }
  return where.join(" AND ");
}

export type StatusCounts = Record<QueueStatus, number>;

/** Forms per status under the other filters: the status tabs. */
export async function statusCounts(
  db: Queryable,
  q: QueueQuery,
  policy: ReviewPolicy,
): Promise<StatusCounts> {
  const params: unknown[] = [];
  const { rows } = await db.query<Record<QueueStatus, number | string>>(
    `SELECT count(*) FILTER (WHERE f.review_status = 'pending' AND f.needs_review) AS pending,
       count(*) FILTER (WHERE f.review_status = 'approved') AS approved,
       count(*) FILTER (WHERE f.review_status = 'rejected') AS rejected, count(*) AS "all"
     ${FROM(policy)} WHERE ${whereOf(q, params, "status")}`,
    params,
  );
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    approved: Number(r?.approved ?? 0),
    rejected: Number(r?.rejected ?? 0),
    all: Number(r?.all ?? 0),
  };
}

/** Forms per flag code (a form counts once per code) under the other filters, most first. */
export async function flagCounts(
  db: Queryable,
  q: QueueQuery,
  policy: ReviewPolicy,
): Promise<Array<{ code: string; forms: number }>> {
  const params: unknown[] = [];
  const { rows } = await db.query<{ code: string; forms: number | string }>(
    `SELECT g->>'code' AS code, count(DISTINCT f.id) AS forms
     ${FROM(policy)}, LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(x.c->'flags') = 'array' THEN x.c->'flags' ELSE '[]'::jsonb END) g
     WHERE ${whereOf(q, params, "flag")} GROUP BY 1 ORDER BY 2 DESC, (g->>'code') COLLATE "C"`,
    params,
  );
  return rows.map((r) => ({ code: r.code, forms: Number(r.forms) }));
}

/** One page of the queue in its order; `page` is read as given (see `lastPage`). */
export async function queuePageRows(
  db: Queryable,
  q: QueueQuery,
  policy: ReviewPolicy,
  pageSize = QUEUE_PAGE_SIZE,
): Promise<QueueRecord[]> {
  const params: unknown[] = [];
  const where = whereOf(q, params);
  params.push(pageSize, (q.page - 1) * pageSize);
  // The page's ids are sorted first (small rows); only its 50 forms' JSON is read out.
  const { rows } = await db.query<{
    id: number | string;
    name: string;
    c: Extraction | string;
    review_status: string;
    low: number | string | null;
  }>(
    `SELECT f.id, d.name, x.c, f.review_status, conf.low
     FROM (SELECT f.id, row_number() OVER (ORDER BY ${ORDER[q.sort]}) AS n ${FROM(policy, q.sort)} WHERE ${where}
       ORDER BY ${ORDER[q.sort]} LIMIT $${params.length - 1} OFFSET $${params.length}) p
     JOIN forms f ON f.id = p.id JOIN documents d ON d.id = f.document_id,
     LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x${CONFIDENCE}
     ORDER BY p.n`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    file: r.name,
    reviewStatus: r.review_status,
    lowConfidence: r.low === null ? null : Number(r.low),
    current: typeof r.c === "string" ? (JSON.parse(r.c) as Extraction) : r.c,
  }));
}

/** The last page for `total` forms (1 when there are none). */
export const lastPage = (total: number, pageSize = QUEUE_PAGE_SIZE) =>
  Math.max(1, Math.ceil(total / pageSize));

/**
 * The forms before and after `id` in the queue's order, and the page `id` is on. A form the
 * filter no longer holds (just approved) keeps its place by its sort keys: j goes on from there.
 */
export async function queueNeighbours(
  db: Queryable,
  q: QueueQuery,
  id: number,
  policy: ReviewPolicy,
  pageSize = QUEUE_PAGE_SIZE,
): Promise<{ prev: number | null; next: number | null; page: number }> {
  const params: unknown[] = [];
  const where = whereOf(q, params);
  params.push(id);
  const { rows } = await db.query<{
    prev: number | string | null;
    next: number | string | null;
    n: number | string;
  }>(
    `SELECT prev, next, n FROM (
       SELECT f.id, lag(f.id) OVER w AS prev, lead(f.id) OVER w AS next, row_number() OVER w AS n
       ${FROM(policy, q.sort)} WHERE (${where}) OR f.id = $${params.length} WINDOW w AS (ORDER BY ${ORDER[q.sort]})
     ) o WHERE o.id = $${params.length}`,
    params,
  );
  const r = rows[0];
  const num = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return { prev: num(r?.prev), next: num(r?.next), page: Math.ceil(Number(r?.n ?? 1) / pageSize) };
}
