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
