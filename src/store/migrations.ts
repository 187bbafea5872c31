import type { Db } from "./db.js";

/** Ordered, append-only migrations; each runs once, in a transaction, under an advisory lock. */
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
];

export async function migrate(db: Db): Promise<number[]> {
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
    return applied;
  });
}
