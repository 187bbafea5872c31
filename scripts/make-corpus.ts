/**
 * The generated corpus: about 60 forms of the 2018 family from other applicants than the seed,
 * printed by pdf-lib (the fixture layout), Chromium and LibreOffice, with their expected output.
 * Writes fixtures/corpus/{pdf,expected}/<id>.{pdf,json} and fixtures/corpus/INDEX.md.
 * Run: `npm run corpus` (`-- --reuse-external` keeps the Chromium/LibreOffice files already there;
 * `-- --ids c001,c002` rebuilds only those). Needs chromium, libreoffice-writer-nogui, poppler-utils
 * and the fonts listed in fixtures/README.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuiltFile, buildFile, CORPUS_DIR, expectedOf } from "./corpus/build.js";
import { type CorpusFile, corpusPlan } from "./corpus/plan.js";

function styleOf(f: CorpusFile): string {
  if (f.style) {
    const s = f.style;
    const parts = [
      s.checkbox,
      s.boxBeforeLabel ? "box before label" : "box after label",
      `span label ${s.spanLabel}`,
      s.truncate ? `${s.truncate.mode} at ${s.truncate.maxLines} lines` : "",
      s.splitText ? `${s.splitText.field} split over a page break` : "",
      s.footer ? "footers" : "",
      `font ${f.font} ${s.fontSize ?? 9}pt`,
    ];
    return parts.filter(Boolean).join(", ");
  }
  const h = f.html!;
  return `${h.font} ${h.fontSize}, ${h.checkbox} boxes ${h.boxBefore ? "before" : "after"} labels`;
}

function notable(b: BuiltFile, i: number): string {
  const g = b.forms[i]!;
  const cut = Object.entries(b.printed.truths?.[i]?.cut ?? {}).map(
    ([k, c]) => `${k.replace("form.", "")} ${c.mode}`,
  );
  const defects = b.file.forms[i]!.defects;
  return [
    g.domain,
    ...(defects.length ? [`**planted: ${defects.join(", ")}**`] : []),
    ...g.features,
    ...(cut.length ? [`cut by the cell: ${cut.join(", ")}`] : []),
  ].join("; ");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reuse = args.includes("--reuse-external");
  const idsArg = args.indexOf("--ids");
  const only = idsArg >= 0 ? new Set((args[idsArg + 1] ?? "").split(",")) : null;
  mkdirSync(join(CORPUS_DIR, "pdf"), { recursive: true });
  mkdirSync(join(CORPUS_DIR, "expected"), { recursive: true });
  const rows: string[] = [];
  const shapes = new Map<string, number>();
  const flags = new Map<string, number>();
  let formCount = 0;
  let pageCount = 0;
  for (const f of corpusPlan()) {
    // Unselected files are still built (from the files on disk) so the index stays whole.
    const built = await buildFile(f, reuse || (only !== null && !only.has(f.id)));
    const file = `${f.id}.pdf`;
    const expected = expectedOf(built, file, built.printed.bytes);
    if (!only || only.has(f.id)) {
      writeFileSync(join(CORPUS_DIR, "pdf", file), built.printed.bytes);
      writeFileSync(join(CORPUS_DIR, "expected", `${f.id}.json`), `${JSON.stringify(expected, null, 2)}\n`);
    }
    const pages = built.printed.pages.flat().length;
    formCount += built.forms.length;
    pageCount += pages;
    for (const g of built.forms) for (const s of g.shapes) shapes.set(s, (shapes.get(s) ?? 0) + 1);
    for (const e of expected) for (const fl of e.flags) flags.set(fl.code, (flags.get(fl.code) ?? 0) + 1);
    built.forms.forEach((_, i) => {
      const pagesOf = built.printed.pages[i]!;
      const idCell = built.forms.length > 1 ? `${f.id} #${i + 1}` : f.id;
      const head = i === 0 ? `${f.producer} | ${styleOf(f)}` : "〃 | 〃";
      rows.push(
        `| ${idCell} | ${head} | ${i + 1}/${built.forms.length} | ${pagesOf.join(",")} | ${notable(built, i)} |`,
      );
    });
    console.log(`${file}: ${f.producer}, ${built.forms.length} form(s), ${pages} pages`);
  }
  const count = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `\`${k}\` ${v}`)
      .join(", ");
  writeFileSync(
    join(CORPUS_DIR, "INDEX.md"),
    `# Generated corpus\n\n${formCount} forms on ${pageCount} pages in ${corpusPlan().length} files ` +
      "(`scripts/make-corpus.ts`; see fixtures/README.md). Pages are 1-based within the file.\n\n" +
      `Target shapes: ${count(shapes)}.\n\nExpected flags: ${count(flags)}.\n\n` +
      "| id | producer | style | form | pages | notable |\n|---|---|---|---|---|---|\n" +
      `${rows.join("\n")}\n`,
  );
}

await main();
