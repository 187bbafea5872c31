import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import type { NamedInput } from "./run/batch.js";
import type { Extraction } from "./schema.js";

/**
 * `formex extract --out DIR`: one file per form, never two forms to one file. A file's forms go to
 * `DIR/<its name without extension>.form-<n>.json`, its name being its path relative to the
 * folder it was found under (`a/form.pdf` → `DIR/a/form.form-1.json`), so folders are mirrored.
 * Two inputs that would share a stem (`x/form.pdf` and `y/form.pdf` named on the command line,
 * `a.pdf` beside `a.txt`) are told apart in input order: the first keeps it, the next get
 * `form-2`, `form-3`. Input order is sorted, so the same command writes the same names.
 */

/** The output stem (relative to DIR) of each input path. */
export function outputStems(inputs: readonly NamedInput[]): Map<string, string> {
  const stems = new Map<string, string>();
  const taken = new Set<string>();
  for (const { path, name } of inputs) {
    if (stems.has(path)) continue;
    const base = name.slice(0, name.length - extname(name).length);
    let stem = base;
    for (let k = 2; taken.has(stem.toLowerCase()); k++) stem = `${base}-${k}`;
    taken.add(stem.toLowerCase());
    stems.set(path, stem);
  }
  return stems;
}

/** Writes one form under `dir`, where its file's stem says. */
export async function writeFormFile(
  dir: string,
  stems: ReadonlyMap<string, string>,
  path: string,
  form: Extraction,
): Promise<string> {
  const stem = stems.get(path);
  if (stem === undefined) throw new Error(`no output name for ${path}`);
  const file = join(dir, `${stem}.form-${form.source.formIndex}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(form, null, 2)}\n`);
  return file;
}
