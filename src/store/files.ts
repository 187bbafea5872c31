import { randomUUID } from "node:crypto";
import { copyFile, mkdir, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Db } from "./db.js";

/**
 * Original files, content-addressed: `<data>/files/ab/abcdef…` by sha256. With a PostgreSQL server
 * the bytes also go into its `files` table, so workers on other machines can fetch them.
 */

export function filePath(dataDir: string, sha256: string): string {
  return join(dataDir, "files", sha256.slice(0, 2), sha256);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Stores a file by its hash (once); returns the stored path. */
export async function putFile(
  db: Db,
  dataDir: string,
  sha256: string,
  source: string | Uint8Array,
): Promise<string> {
  const target = filePath(dataDir, sha256);
  if (!(await exists(target))) {
    await mkdir(dirname(target), { recursive: true });
    // Write beside, then rename: a reader never sees half a file, and two writers of the same
    // content (concurrent submissions) each rename their own copy.
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    if (typeof source === "string") await copyFile(source, tmp);
    else await writeFile(tmp, source);
    await rename(tmp, target);
  }
  if (db.kind === "postgres") {
    const { readFile } = await import("node:fs/promises");
    await db.query("INSERT INTO files (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING", [
      sha256,
      await readFile(target),
    ]);
  }
  return target;
}

/** The local path of a stored file, fetched from the database when this machine lacks it. */
export async function localFile(db: Db, dataDir: string, sha256: string): Promise<string> {
  const target = filePath(dataDir, sha256);
  if (await exists(target)) return target;
  const { rows } = await db.query<{ bytes: Uint8Array }>("SELECT bytes FROM files WHERE sha256 = $1", [
    sha256,
  ]);
  const bytes = rows[0]?.bytes;
  if (!bytes) throw new Error(`file ${sha256} is not stored on this machine or in the database`);
  return putFile(db, dataDir, sha256, bytes);
}
