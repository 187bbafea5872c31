/** Job names and payloads on the formex queue. Ids contain no `:` (BullMQ reserves it). */

export const DOCUMENT_JOB = "document";
export const PAGES_JOB = "pages";

export interface DocumentJobData {
  sha256: string;
  name: string;
  kind: "paged" | "dump";
  pages: number;
}

export interface PagesJobData {
  sha256: string;
  name: string;
  from: number;
  to: number;
}

/** The document job's id is the file's sha256: submitting a file twice finds the first job. */
export const documentJobId = (sha256: string) => sha256;
export const pagesJobId = (sha256: string, from: number) => `${sha256}-p${from}`;

/** Pages per page job: small enough to spread a bundle over many workers. */
export const PAGES_PER_JOB = 10;

/** The longest wait between two attempts: after a long outage work resumes within this of recovery. */
export const MAX_RETRY_DELAY_MS = 15_000;

/** Wait before the next attempt: 1, 2, 4, 8 s, then every 15 s (the workers' `capped` backoff). */
export const retryDelayMs = (attemptsMade: number): number =>
  Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), MAX_RETRY_DELAY_MS);

/**
 * Attempts per job: 12, with the capped backoff 1 + 2 + 4 + 8 + 7 × 15 s = 120 s of retries, so a
 * job that meets a PostgreSQL restart or an outage of up to two minutes still completes.
 */
export const JOB_RETRY = { attempts: 12, backoff: { type: "capped" } } as const;

/** Attempts at a page chunk with a crashed page worker or unreadable file before its pages are kept as failed. */
export const TRANSIENT_PAGE_ATTEMPTS = 3;
