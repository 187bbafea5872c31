/**
 * The command line's help: \`formex --help\` (every command, extract's options) and each command's
 * own (\`formex <command> --help\` or \`formex help <command>\`), one text for the options both show.
 */

export const VERSION = "0.1.0";

const STORAGE = `Storage: PGlite in --data DIR (default ./formex-data, or FORMEX_DATA), or PostgreSQL when
DATABASE_URL is set. Queue: BullMQ on REDIS_URL, queue FORMEX_QUEUE (default formex); without
REDIS_URL, ingest and serve read documents in-process.`;

const COMMON = `  --data DIR            where results are stored (see Storage below)
  --verbose             info-level JSON logs on stderr (FORMEX_LOG_LEVEL sets any level)
  --review-codes P      which flag codes send a form to review (every command takes it; also
                        FORMEX_REVIEW_CODES): comma-separated default, error, warning, info,
                        CODE or -CODE, in order; default = every error plus LOW_CONFIDENCE,
                        CHECKBOX_MULTIPLE, EXECUTED_EXCEEDS_PRIOR, DATE_OUTSIDE_YEAR, UNKNOWN_LABEL,
                        CROSS_CHECK_UNSURE`;
const WORKERS = `  --workers N           page worker threads (default: one per core)`;

const EXTRACT_OPTIONS = `  --jsonl               one form per line (JSON Lines) instead of indented JSON
  --out DIR             write one file per form to DIR instead of stdout: <file>.form-<n>.json,
                        folders mirrored (a/form.pdf -> DIR/a/form.form-1.json); inputs that
                        would share a name get -2, -3 (never one file for two forms)
  --workers N           page worker threads (default: one per core)
  --page-timeout MS     time budget per page; a page over it fails with PAGE_TIMEOUT (default 20000)
  --max-pages N         refuse PDFs with more pages (default 2000)
  --max-mb N            refuse files larger than N MiB (default 200)
  --no-ocr              do not OCR pages without a usable text layer (reported as NEEDS_OCR)
  --ocr-page-timeout MS time budget for one scanned page's OCR (default 120000)
  --ocr-engine E        paddle (default: PaddleOCR reads, tesseract reads short values again)
                        or tesseract (tesseract.js alone; see README "OCR engines")
  --ocr-model M         tesseract's chi_sim model: 4.0.0_best_int (default, faster) or 4.0.0
  --min-confidence X    OCR values read twice (money, dates, targets, names, boxes) under this
                        confidence (0..1) get LOW_CONFIDENCE (default 0.8)
  --min-text-confidence X  long free texts (read once) under this get LOW_CONFIDENCE (default 1:
                        every OCR long text is flagged; see BENCHMARKS.md "calibration")
  --no-progress         no progress line on stderr
  --data DIR            where results are stored (see Storage below)
  --no-store            print only; do not store results in the database
  --verbose             info-level JSON logs on stderr (FORMEX_LOG_LEVEL sets any level)
  --review-codes P      which flag codes send a form to review (every command takes it; also
                        FORMEX_REVIEW_CODES): comma-separated default, error, warning, info,
                        CODE or -CODE, in order; default = every error plus LOW_CONFIDENCE,
                        CHECKBOX_MULTIPLE, EXECUTED_EXCEEDS_PRIOR, DATE_OUTSIDE_YEAR, UNKNOWN_LABEL,
                        CROSS_CHECK_UNSURE
`;

const OCR_ENV = `The OCR settings are also read from FORMEX_OCR=off, FORMEX_OCR_PAGE_TIMEOUT_MS, FORMEX_OCR_ENGINE,
FORMEX_OCR_MODEL, FORMEX_MIN_CONFIDENCE and FORMEX_MIN_TEXT_CONFIDENCE, which is how ingest, worker and serve take them.
`;

export const HELP = `formex ${VERSION} — 上海市财政支出项目绩效目标申报表 (2018) and 项目支出绩效目标申报表 PDFs to validated data

Usage:
  formex extract <files|dirs...> [options]   read PDFs (text layer or OCR), scans (PNG, JPEG, TIFF)
                                             and text dumps, print forms
  formex results [--jsonl] [--flagged]       print stored forms with their ids (output contract)
  formex ingest <files|dirs...> [--detach]   store and queue files; waits with a progress bar
  formex worker [--workers N]                process queued jobs (needs REDIS_URL, DATABASE_URL)
  formex status [--json]                     documents and jobs: queued, active, done, failed
  formex serve [--port 8080] [--host H]      review page at / and the upload API
  formex export --format csv|jsonl|parquet --out DIR   tidy tables for analytics
  formex <command> --help                    that command's options
  formex --help | --version

${STORAGE} serve binds 127.0.0.1 unless --host is
given, which needs FORMEX_TOKEN.

extract options:
${EXTRACT_OPTIONS}

${OCR_ENV}

Output follows schemaVersion 1 (see docs/codes.md for flag and error codes).
Exit status: 0 every file was read; 1 some file failed (each named on stderr); 2 usage error.
`;

const command = (usage: string, what: string, options: string, more = "") =>
  `Usage: ${usage}\n\n${what}\n\nOptions:\n${options}\n  --help, -h            this help\n${more ? `\n${more}\n` : ""}`;

/** Each command's own help, by command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  extract: command(
    "formex extract <files|dirs...> [options]",
    "Reads PDFs (text layer or OCR), scans (PNG, JPEG, TIFF) and text dumps; prints each form\n(schemaVersion 1) and stores it unless --no-store. A file found under a named folder keeps its\npath relative to that folder in source.file.",
    EXTRACT_OPTIONS,
    `${OCR_ENV}\n\nExit status: 0 every file was read; 1 some file failed (each named on stderr); 2 usage error.`,
  ),
  results: command(
    "formex results [--jsonl] [--flagged]",
    'Prints the stored forms in document and form order, each as {"id", "documentId", ...the form},\nkeys in the output contract\'s order; id is the form\'s id in the review page (/forms/<id>).',
    `  --jsonl               one form per line (JSON Lines) instead of indented JSON
  --flagged             only the forms that need review
${COMMON}`,
    STORAGE,
  ),
  ingest: command(
    "formex ingest <files|dirs...> [--detach]",
    "Stores files and queues them (or reads them here without REDIS_URL); waits with a progress bar.",
    `  --detach              return once the files are queued; do not wait for them
  --wait                wait until every file is read (the default)
${WORKERS}
${COMMON}`,
    `${STORAGE}\nThe OCR settings are read from FORMEX_OCR* and FORMEX_MIN_* (see formex extract --help).`,
  ),
  worker: command(
    "formex worker [--workers N] [--lock-ms MS]",
    "Processes queued jobs until SIGTERM or SIGINT (then finishes the current jobs).\nNeeds REDIS_URL and DATABASE_URL.",
    `  --lock-ms MS          job lock and stalled-job check interval (default 30000, or FORMEX_LOCK_MS)
${WORKERS}
${COMMON}`,
    STORAGE,
  ),
  status: command(
    "formex status [--json]",
    "Documents and jobs by state (queued, processing, done, failed) and the progress of each active document.",
    `  --json                one JSON object instead of lines
${COMMON}`,
    STORAGE,
  ),
  serve: command(
    "formex serve [--port 8080] [--host H]",
    "Serves the review page at / and the upload API.",
    `  --port N              port (default 8080)
  --host H              address to bind (default 127.0.0.1; any other needs FORMEX_TOKEN or
                        FORMEX_REVIEWERS=name:token,…)
  --max-upload-mb N     largest upload (default 200)
${WORKERS}
${COMMON}`,
    STORAGE,
  ),
  export: command(
    "formex export --format csv|jsonl|parquet --out DIR",
    "Writes the stored forms as tidy tables for analytics (see docs/data.md).",
    `  --format F            csv (default), jsonl or parquet
  --out DIR             the folder to write the tables to
${COMMON}`,
    STORAGE,
  ),
};
