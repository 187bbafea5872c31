import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_REVIEW_POLICY } from "../src/flags.js";
import { openDb } from "../src/store/db.js";
import { migrate } from "../src/store/migrations.js";
import { documentCounts, listForms, registerDocument, saveForms } from "../src/store/repo.js";
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
      expect(await migrate(db)).toEqual([1, 2, 3, 4]);
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
