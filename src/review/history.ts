import type { Flag } from "../flags.js";
import type { Queryable } from "../store/db.js";

/**
 * A form's audit trail, written (`audit`: one `corrections` row per change a reviewer made) and
 * replayed in order, so recomputed flags follow the rows a reviewer added or
 * deleted: a cell corrected, a flag dismissed or a flag read from the extraction keeps naming the
 * same row after rows above it come and go (a deleted row's cells and flags go with it).
 *
 * Trail rows: a cell `form.t[i].col` (a correction), a row `form.t[i]` (old null: added at i; new
 * null: deleted), a dismissal `flag:CODE@path` (`flag:CODE@` for a whole-form flag).
 */

export interface TrailRow {
  field: string;
  old_value: unknown;
  new_value: unknown;
}

/** A row path: `form.subProjects[2]`. */
export const ROW_PATH = /^form\.(\w+(?:\.\w+)*)\[(\d+)\]$/;

export const DISMISS_PREFIX = "flag:";

/** The trail's field for dismissing a flag: its code and the field it names. */
export const dismissKey = (f: { code: string; field: string | null }) =>
  `${DISMISS_PREFIX}${f.code}@${f.field ?? ""}`;

type RowOp = { table: string; index: number; added: boolean };

/** `path` after a row op: null when it named the deleted row or a cell of it. */
export function shiftPath(path: string, op: RowOp): string | null {
  const prefix = `form.${op.table}[`;
  if (!path.startsWith(prefix)) return path;
  const m = /^(\d+)\](.*)$/.exec(path.slice(prefix.length));
  if (!m) return path;
  const j = Number(m[1]);
  if (op.added) return j >= op.index ? `${prefix}${j + 1}]${m[2]}` : path;
  if (j === op.index) return null;
  return j > op.index ? `${prefix}${j - 1}]${m[2]}` : path;
}

export interface Replayed {
  /** Cells corrected (and cells of added rows), as paths of the current form. */
  corrected: Set<string>;
  /** Dismissed flags, as `dismissKey` of the current form's paths. */
  dismissed: Set<string>;
  /** The extraction's flags, each with its field as a path of the current form; deleted rows' gone. */
  readFlags: Flag[];
}

export function replay(extractionFlags: readonly Flag[], trail: readonly TrailRow[]): Replayed {
  let corrected: string[] = [];
  let dismissed: Array<{ code: string; field: string | null }> = [];
  let flags: Flag[] = extractionFlags.map((f) => ({ ...f }));
  for (const row of trail) {
    const rowPath = ROW_PATH.exec(row.field);
    if (rowPath) {
      const op: RowOp = { table: rowPath[1]!, index: Number(rowPath[2]), added: row.old_value === null };
      const keep = <T extends { field: string | null }>(list: T[]) =>
        list.flatMap((x) => {
          if (x.field === null) return [x];
          const field = shiftPath(x.field, op);
          return field === null ? [] : [{ ...x, field }];
        });
      corrected = corrected.flatMap((p) => shiftPath(p, op) ?? []);
      dismissed = keep(dismissed);
      flags = keep(flags);
      if (op.added && row.new_value && typeof row.new_value === "object")
        // The cells the reviewer filled; one left empty is no MISSING_FIELD (required ones are refused empty).
        for (const [key, v] of Object.entries(row.new_value))
          if (key !== "parsed" && v !== null && v !== "") corrected.push(`${row.field}.${key}`);
    } else if (row.field.startsWith(DISMISS_PREFIX)) {
      const [code, field] = row.field.slice(DISMISS_PREFIX.length).split("@") as [string, string];
      dismissed.push({ code, field: field === "" ? null : field });
    } else if (row.field.startsWith("form.")) {
      corrected.push(row.field);
    }
  }
  return { corrected: new Set(corrected), dismissed: new Set(dismissed.map(dismissKey)), readFlags: flags };
}

/** The form's trail in the order it was written (values read back from their JSON text). */
export async function loadTrail(db: Queryable, formId: number): Promise<TrailRow[]> {
  const { rows } = await db.query<{ field: string; o: string | null; n: string | null }>(
    "SELECT field, old_value::text AS o, new_value::text AS n FROM corrections WHERE form_id = $1 ORDER BY id",
    [formId],
  );
  const read = (t: string | null): unknown => (t === null ? null : JSON.parse(t));
  return rows.map((r) => ({ field: r.field, old_value: read(r.o), new_value: read(r.n) }));
}

/** The audit trail's field for approvals, rejections and reopenings (form values are `form.…`). */
export const REVIEW_FIELD = "review_status";

export async function audit(
  tx: Queryable,
  formId: number,
  field: string,
  old: unknown,
  value: unknown,
  reviewer: string,
  comment: string | null,
  version: number,
): Promise<void> {
  await tx.query(
    "INSERT INTO corrections (form_id, field, old_value, new_value, reviewer, comment, form_version) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)",
    [formId, field, JSON.stringify(old ?? null), JSON.stringify(value ?? null), reviewer, comment, version],
  );
}
