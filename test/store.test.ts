import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_REVIEW_POLICY } from "../src/flags.js";
import { openDb } from "../src/store/db.js";
import { MIGRATIONS, migrate } from "../src/store/migrations.js";
import { documentCounts, listForms, registerDocument, saveForms } from "../src/store/repo.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";
import { extractFile } from "./helpers/extract.js";
import { testConfig } from "./helpers/services.js";

const BUNDLE = join(import.meta.dirname, "../fixtures/pdf/bundle-4forms.pdf");

describe.each(["pglite", "postgres"] as const)("storage on %s", (backend) => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  const open = async () => {
    const t = testConfig(backend);
    cleanup = t.cleanup;
    const db = await openDb({
      databaseUrl: t.config.databaseUrl,
      dataDir: t.config.dataDir,
      schema: t.config.schema,
    });
    return { db, config: t.config };
  };

  it("migrates once, stores a document's forms once however often it is saved, and reads them back", async () => {
    const { db } = await open();
    try {
      expect(await migrate(db)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await migrate(db)).toEqual([]);
      const result = await extractFile(BUNDLE);
      const { document, created } = await registerDocument(db, {
        sha256: result.sha256,
        name: "bundle-4forms.pdf",
        size: 1,
        pages: 12,
      });
      expect(created).toBe(true);
      await saveForms(db, document.id, result.forms, DEFAULT_REVIEW_POLICY);
      await saveForms(db, document.id, result.forms, DEFAULT_REVIEW_POLICY); // a retried job
      const stored = await listForms(db);
      expect(stored).toHaveLength(4);
      expect(stored.map((f) => f.form)).toEqual(result.forms.map((f) => f.form));
      // Cut text only (TRUNCATED_TEXT, info): none waits for review under the default policy.
      expect(await listForms(db, { flagged: true })).toHaveLength(0);
      expect(await listForms(db, { flagged: false })).toHaveLength(4);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM flags");
      expect(Number(rows[0]!.n)).toBe(result.forms.reduce((n, f) => n + f.flags.length, 0));
      expect(
        (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM fields")).rows[0]!.n,
      ).toBeGreaterThan(100);
    } finally {
      await db.close();
    }
  });

  it("upgrades a database made by migrations 1-3 (2018-shaped views, a stored form), and recreates the views when the templates change", async () => {
    const { db } = await open();
    try {
      await db.transaction(async (tx) => {
        await tx.query(
          "CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        );
        for (const m of MIGRATIONS.slice(0, 3)) {
          for (const statement of m.sql
            .split(/;\s*\n/)
            .map((x) => x.trim())
            .filter(Boolean))
            await tx.query(statement);
          await tx.query("INSERT INTO schema_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
        }
      });
      const result = await extractFile(BUNDLE);
      // Registered as the code of that time did (no submissions table yet).
      const { rows: inserted } = await db.query<{ id: number }>(
        "INSERT INTO documents (sha256, name, size_bytes, pages) VALUES ($1, 'b.pdf', 1, 12) RETURNING id",
        [result.sha256],
      );
      const documentId = Number(inserted[0]!.id);
      await saveForms(db, documentId, result.forms, DEFAULT_REVIEW_POLICY);
      const before = await db.query<{ project_type: string }>("SELECT project_type FROM export_forms");
      expect(before.rows).toHaveLength(4); // the old view, with its 2018 columns
      expect(await migrate(db)).toEqual([4, 5, 6, 7]);
      // Migration 7 records the document's one submission, so the documents page lists it.
      const submitted = await db.query<{ document_id: number; name: string }>(
        "SELECT document_id, name FROM submissions",
      );
      expect(submitted.rows.map((r) => [Number(r.document_id), r.name])).toEqual([[documentId, "b.pdf"]]);
      const cols = async (view: string) =>
        (
          await db.query<{ column_name: string; data_type: string }>(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position",
            [view],
          )
        ).rows.map((r) => `${r.column_name}:${r.data_type}`);
      expect(await cols("export_forms")).toContain("total_budget:numeric");
      expect(await cols("export_forms")).not.toContain("project_type:text");
      expect(await cols("export_sh_perf_2018_forms")).toContain("start_date:date");
      expect(await cols("export_mof_project_forms")).toContain("funds_total:numeric");
      const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM export_sh_perf_2018_forms");
      expect(Number(rows.rows[0]!.n)).toBe(4);
      // Another template list (one family fewer): its view goes, the others are made again.
      expect(await migrate(db, [SH_PERF_2018])).toEqual([]);
      expect(await cols("export_mof_project_forms")).toEqual([]);
      expect(await cols("export_sh_perf_2018_forms")).toContain("start_date:date");
      expect(await migrate(db)).toEqual([]);
      expect(await cols("export_mof_project_forms")).toContain("funds_total:numeric");
    } finally {
      await db.close();
    }
  });

  it("two registrations of one file at once make one document", async () => {
    const { db } = await open();
    try {
      await migrate(db);
      const doc = { sha256: "a".repeat(64), name: "x.pdf", size: 1, pages: 3 };
      const results = await Promise.all([
        registerDocument(db, doc),
        registerDocument(db, doc),
        registerDocument(db, doc),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.document.id)).size).toBe(1);
      expect((await documentCounts(db)).queued).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe("storage on a shared PostgreSQL", () => {
  it("processes opening a new schema at once (a worker and an ingest started together) all open and migrate it", async () => {
    const t = testConfig("postgres");
    try {
      const opts = { databaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir, schema: t.config.schema };
      // Separate pools, as separate processes would have: each issues its own CREATE SCHEMA.
      const dbs = await Promise.all(Array.from({ length: 8 }, () => openDb(opts)));
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db)));
        expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    } finally {
      await t.cleanup();
    }
  });
});
