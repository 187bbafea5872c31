import { TEMPLATES } from "../templates/registry.js";
import type { FormTemplate } from "../templates/template.js";
import type { Db } from "./db.js";
import { syncViews } from "./view-sync.js";

/**
 * Ordered, append-only migrations; each runs once, in a transaction, under an advisory lock.
 * The export views are not migrations' since migration 5: they are derived from the templates
 * and kept current by view-sync.ts, in the same transaction (the views of 2-4 are replaced).
 */
export const MIGRATIONS: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: "documents, forms, fields, flags, corrections",
    sql: `
CREATE TABLE documents (
  id           BIGSERIAL PRIMARY KEY,
  sha256       TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  size_bytes   BIGINT NOT NULL,
  pages        INTEGER,
  status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'done', 'failed')),
  pages_done   INTEGER NOT NULL DEFAULT 0,
  errors       JSONB NOT NULL DEFAULT '[]',
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE forms (
  id                  BIGSERIAL PRIMARY KEY,
  document_id         BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  form_index          INTEGER NOT NULL,
  year                INTEGER,
  applicant           TEXT,
  project_name        TEXT,
  total_budget        NUMERIC,
  current_year_budget NUMERIC,
  needs_review        BOOLEAN NOT NULL,
  extraction          JSONB NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (document_id, form_index)
);
CREATE INDEX forms_year ON forms (year);
CREATE INDEX forms_applicant ON forms (applicant);
CREATE INDEX forms_project ON forms (project_name);
CREATE INDEX forms_review ON forms (needs_review);
CREATE TABLE fields (
  form_id    BIGINT NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  page       INTEGER,
  bbox       JSONB,
  source     TEXT NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (form_id, path)
);
CREATE TABLE flags (
  form_id  BIGINT NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  code     TEXT NOT NULL,
  severity TEXT NOT NULL,
  field    TEXT,
  message  TEXT NOT NULL,
  PRIMARY KEY (form_id, seq)
);
CREATE INDEX flags_code ON flags (code);
CREATE TABLE corrections (
  id         BIGSERIAL PRIMARY KEY,
  form_id    BIGINT NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
  field      TEXT NOT NULL,
  old_value  JSONB,
  new_value  JSONB,
  reviewer   TEXT NOT NULL,
  comment    TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,
  bytes  BYTEA NOT NULL
);
`,
  },
  {
    id: 2,
    name: "review: current values, review status, export views",
    sql: `
ALTER TABLE forms ADD COLUMN current JSONB;
ALTER TABLE forms ADD COLUMN review_status TEXT NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'approved', 'rejected'));
ALTER TABLE forms ADD COLUMN review_comment TEXT;
ALTER TABLE forms ADD COLUMN reviewed_by TEXT;
ALTER TABLE forms ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE corrections ADD COLUMN form_version INTEGER;
CREATE VIEW export_forms AS
SELECT f.id AS form_id, d.id AS document_id, d.name AS file, d.sha256, f.form_index,
  (SELECT string_agg(p, ',') FROM jsonb_array_elements_text(c->'source'->'pages') AS p) AS pages,
  (c->'form'->>'year')::int AS year, c->'form'->>'applicant' AS applicant, c->'form'->>'projectName' AS project_name,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'projectType') AS o) AS project_type,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'fundUse') AS o) AS fund_use,
  c->'form'->>'startDate' AS start_date, c->'form'->>'endDate' AS end_date,
  c->'form'->>'overview' AS overview, c->'form'->>'basis' AS basis, c->'form'->>'necessity' AS necessity,
  c->'form'->>'safeguards' AS safeguards,
  (c->'form'->>'totalBudget')::numeric AS total_budget, (c->'form'->>'currentYearBudget')::numeric AS current_year_budget,
  (c->'form'->>'priorYearBudget')::numeric AS prior_year_budget, (c->'form'->>'priorYearExecuted')::numeric AS prior_year_executed,
  c->'form'->>'implementationPlan' AS implementation_plan, c->'form'->>'overallGoal' AS overall_goal,
  c->'form'->>'annualGoal' AS annual_goal, c->'form'->>'remarks' AS remarks,
  jsonb_array_length(c->'flags') AS flag_count, f.needs_review, f.review_status, f.reviewed_by, f.reviewed_at,
  f.current IS NOT NULL AS corrected, f.version
FROM forms f JOIN documents d ON d.id = f.document_id, LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x;
CREATE VIEW export_sub_projects AS
SELECT f.id AS form_id, (sp.ord - 1)::int AS sub_project_index, sp.value->>'name' AS name, (sp.value->>'amount')::numeric AS amount
FROM forms f, LATERAL jsonb_array_elements(COALESCE(f.current, f.extraction)->'form'->'subProjects') WITH ORDINALITY AS sp(value, ord);
CREATE VIEW export_indicators AS
SELECT f.id AS form_id, (i.ord - 1)::int AS indicator_index, i.value->>'category' AS category, i.value->>'name' AS name,
  i.value->>'target' AS target, i.value->'parsed'->>'op' AS op, (i.value->'parsed'->>'value')::double precision AS value,
  (i.value->'parsed'->>'min')::double precision AS min, (i.value->'parsed'->>'max')::double precision AS max,
  i.value->'parsed'->>'unit' AS unit
FROM forms f, LATERAL jsonb_array_elements(COALESCE(f.current, f.extraction)->'form'->'indicators') WITH ORDINALITY AS i(value, ord);
CREATE VIEW export_flags AS
SELECT f.id AS form_id, (g.ord - 1)::int AS flag_index, g.value->>'code' AS code, g.value->>'severity' AS severity,
  g.value->>'field' AS field, g.value->>'message' AS message
FROM forms f, LATERAL jsonb_array_elements(COALESCE(f.current, f.extraction)->'flags') WITH ORDINALITY AS g(value, ord);
CREATE VIEW export_corrections AS
SELECT id AS correction_id, form_id, field, old_value::text AS old_value, new_value::text AS new_value, reviewer, comment,
  form_version, created_at
FROM corrections;
`,
  },
  {
    id: 3,
    name: "export_forms names the template each form was read as",
    // Appended last: CREATE OR REPLACE VIEW may only add columns at the end.
    sql: `
CREATE OR REPLACE VIEW export_forms AS
SELECT f.id AS form_id, d.id AS document_id, d.name AS file, d.sha256, f.form_index,
  (SELECT string_agg(p, ',') FROM jsonb_array_elements_text(c->'source'->'pages') AS p) AS pages,
  (c->'form'->>'year')::int AS year, c->'form'->>'applicant' AS applicant, c->'form'->>'projectName' AS project_name,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'projectType') AS o) AS project_type,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'fundUse') AS o) AS fund_use,
  c->'form'->>'startDate' AS start_date, c->'form'->>'endDate' AS end_date,
  c->'form'->>'overview' AS overview, c->'form'->>'basis' AS basis, c->'form'->>'necessity' AS necessity,
  c->'form'->>'safeguards' AS safeguards,
  (c->'form'->>'totalBudget')::numeric AS total_budget, (c->'form'->>'currentYearBudget')::numeric AS current_year_budget,
  (c->'form'->>'priorYearBudget')::numeric AS prior_year_budget, (c->'form'->>'priorYearExecuted')::numeric AS prior_year_executed,
  c->'form'->>'implementationPlan' AS implementation_plan, c->'form'->>'overallGoal' AS overall_goal,
  c->'form'->>'annualGoal' AS annual_goal, c->'form'->>'remarks' AS remarks,
  jsonb_array_length(c->'flags') AS flag_count, f.needs_review, f.review_status, f.reviewed_by, f.reviewed_at,
  f.current IS NOT NULL AS corrected, f.version,
  COALESCE(c->>'template', 'sh-perf-2018') AS template
FROM forms f JOIN documents d ON d.id = f.document_id, LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x;
`,
  },
  {
    id: 4,
    name: "the review policy needs_review was judged by; export_forms.needs_review only while pending",
    // needs_review keeps its name and type: CREATE OR REPLACE may change what a column says.
    sql: `
CREATE TABLE review_policy (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  codes      JSONB NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE OR REPLACE VIEW export_forms AS
SELECT f.id AS form_id, d.id AS document_id, d.name AS file, d.sha256, f.form_index,
  (SELECT string_agg(p, ',') FROM jsonb_array_elements_text(c->'source'->'pages') AS p) AS pages,
  (c->'form'->>'year')::int AS year, c->'form'->>'applicant' AS applicant, c->'form'->>'projectName' AS project_name,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'projectType') AS o) AS project_type,
  (SELECT string_agg(o, '；') FROM jsonb_array_elements_text(c->'form'->'fundUse') AS o) AS fund_use,
  c->'form'->>'startDate' AS start_date, c->'form'->>'endDate' AS end_date,
  c->'form'->>'overview' AS overview, c->'form'->>'basis' AS basis, c->'form'->>'necessity' AS necessity,
  c->'form'->>'safeguards' AS safeguards,
  (c->'form'->>'totalBudget')::numeric AS total_budget, (c->'form'->>'currentYearBudget')::numeric AS current_year_budget,
  (c->'form'->>'priorYearBudget')::numeric AS prior_year_budget, (c->'form'->>'priorYearExecuted')::numeric AS prior_year_executed,
  c->'form'->>'implementationPlan' AS implementation_plan, c->'form'->>'overallGoal' AS overall_goal,
  c->'form'->>'annualGoal' AS annual_goal, c->'form'->>'remarks' AS remarks,
  jsonb_array_length(c->'flags') AS flag_count, f.needs_review AND f.review_status = 'pending' AS needs_review, f.review_status, f.reviewed_by, f.reviewed_at,
  f.current IS NOT NULL AS corrected, f.version,
  COALESCE(c->>'template', 'sh-perf-2018') AS template
FROM forms f JOIN documents d ON d.id = f.document_id, LATERAL (SELECT COALESCE(f.current, f.extraction) AS c) x;
`,
  },
  {
    id: 5,
    name: "export views are derived from the templates: their definitions recorded (view-sync.ts)",
    sql: `
CREATE TABLE export_views (
  name       TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  definition TEXT NOT NULL
);
`,
  },
  {
    id: 6,
    name: "page frames: how each scanned page was made upright, for its review image",
    sql: `
CREATE TABLE page_frames (
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page        INTEGER NOT NULL CHECK (page >= 1),
  frame       JSONB NOT NULL,
  PRIMARY KEY (document_id, page)
);
`,
  },
  {
    id: 7,
    name: "submissions: every upload or ingest of a file, a document's duplicates included",
    sql: `
CREATE TABLE submissions (
  id          BIGSERIAL PRIMARY KEY,
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  via         TEXT CHECK (via IN ('upload', 'ingest', 'extract')),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX submissions_document ON submissions (document_id, id);
INSERT INTO submissions (document_id, name, created_at) SELECT id, name, created_at FROM documents ORDER BY id;
`,
  },
];

export async function migrate(db: Db, templates: readonly FormTemplate[] = TEMPLATES): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Workers on many machines may start at once: one migrates, the others wait here.
    await tx.query("SELECT pg_advisory_xact_lock(4242018)");
    await tx.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    const done = new Set(
      (await tx.query<{ id: number }>("SELECT id FROM schema_migrations")).rows.map((r) => Number(r.id)),
    );
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      for (const statement of m.sql
        .split(/;\s*\n/)
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
      applied.push(m.id);
    }
    await syncViews(tx, templates);
    return applied;
  });
}
