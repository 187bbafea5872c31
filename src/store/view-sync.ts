import type { FormTemplate } from "../templates/template.js";
import type { Queryable } from "./db.js";
import { exportViews } from "./views.js";

/**
 * Keeps the export views what the registered templates make them (views.ts). Their definitions
 * are recorded in `export_views` (migration 5); when the templates give other ones (a new family,
 * a new field, a type), every recorded view is dropped and all are created again in the caller's
 * transaction: CREATE OR REPLACE VIEW cannot change a column's type or drop one. A view someone
 * built on an export view makes the DROP fail loudly instead of vanishing.
 */

/** Views of earlier releases, created by migrations 2-4 before the definitions were recorded. */
const LEGACY = [
  "export_forms",
  "export_sub_projects",
  "export_indicators",
  "export_flags",
  "export_corrections",
];

/** Returns the names of the views created, or [] when they were already current. */
export async function syncViews(tx: Queryable, templates: readonly FormTemplate[]): Promise<string[]> {
  const wanted = exportViews(templates);
  const { rows } = await tx.query<{ name: string; definition: string }>(
    "SELECT name, definition FROM export_views ORDER BY position",
  );
  const same =
    rows.length === wanted.length &&
    rows.every((r, i) => r.name === wanted[i]!.name && r.definition === wanted[i]!.sql);
  if (same) return [];
  const old = [...new Set([...rows.map((r) => r.name), ...LEGACY])];
  await tx.query(`DROP VIEW IF EXISTS ${old.join(", ")}`);
  await tx.query("DELETE FROM export_views");
  for (const [position, v] of wanted.entries()) {
    await tx.query(`CREATE VIEW ${v.name} AS\n${v.sql}`);
    await tx.query("INSERT INTO export_views (name, position, definition) VALUES ($1, $2, $3)", [
      v.name,
      position,
      v.sql,
    ]);
  }
  return wanted.map((v) => v.name);
}
