import {
  QUEUE_SORTS,
  QUEUE_STATUSES,
  type QueueQuery,
  type QueueSort,
  type QueueStatus,
} from "../store/review-queue.js";

/**
 * The queue's URL: `/?status=&sort=&flag=&applicant=&file=&page=`. Read leniently (an unknown
 * sort or status is the default, a bad page is the first: never an error, never a query), and
 * written back without the defaults, so the form page's j/k and back link keep the reviewer's
 * view of the queue.
 */

export const DEFAULT_QUERY: QueueQuery = {
  status: "pending",
  sort: "severity",
  flag: null,
  applicant: null,
  file: null,
  page: 1,
};

/** One value of a query string field (the first, when repeated). */
const one = (v: unknown): string | null => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s.trim() !== "" ? s.trim().slice(0, 200) : null;
};

export function queueQueryOf(raw: unknown): QueueQuery {
  const r = (raw ?? {}) as Record<string, unknown>;
  const status = one(r.status);
  const sort = one(r.sort);
  const page = one(r.page);
  return {
    status: QUEUE_STATUSES.includes(status as QueueStatus) ? (status as QueueStatus) : DEFAULT_QUERY.status,
    sort: QUEUE_SORTS.includes(sort as QueueSort) ? (sort as QueueSort) : DEFAULT_QUERY.sort,
    flag: one(r.flag),
    applicant: one(r.applicant),
    file: one(r.file),
    page: page !== null && /^[1-9][0-9]{0,6}$/.test(page) ? Number(page) : 1,
  };
}

/** `?sort=file&flag=DATE_ORDER` for a query (defaults left out; "" for the default view). */
export function queueSearch(q: QueueQuery, change: Partial<QueueQuery> = {}): string {
  const merged = { ...q, ...change };
  const params = new URLSearchParams();
  for (const key of ["status", "sort", "flag", "applicant", "file", "page"] as const) {
    const v = merged[key];
    if (v !== null && v !== DEFAULT_QUERY[key]) params.set(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}
