/**
 * Text-layer throughput: whole-process wall time of `formex extract` on a bundle of N pages built
 * from the fixtures (median of 5 runs), beside `pdftotext -layout` on the same file, with peak RSS
 * at two bundle sizes to show memory flat in the page count, and a bundle merged by qpdf from
 * the corpus files (no shared fonts). Run: `npm run bench`.
 * Needs: a build (`npm run build`), poppler-utils (pdftotext), qpdf and GNU time (/usr/bin/time).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join } from "node:path";
import { PDFDocument } from "pdf-lib";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "bench-out");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Whole bundles (4 forms, 12 pages) plus one 4-page form to land exactly on `pages`. */
async function buildBundle(pages: number): Promise<string> {
  const bundle = await PDFDocument.load(readFileSync(join(ROOT, "fixtures/pdf/bundle-4forms.pdf")));
  const split = await PDFDocument.load(readFileSync(join(ROOT, "fixtures/pdf/f4-split-cell.pdf")));
  const out = await PDFDocument.create();
  // pages = 12 k + 4 m with m < 3: k copies of the 4-form bundle, m copies of the 4-page form.
  const m = (pages % 12) / 4;
  if (!Number.isInteger(m)) throw new Error(`${pages} pages cannot be built from 12- and 4-page files`);
  const k = (pages - 4 * m) / 12;
  // One copyPages call per source shares its fonts across copies, as one producer's bundle does.
  const repeat = (doc: PDFDocument, n: number) =>
    Array.from({ length: n }, () => doc.getPageIndices()).flat();
  for (const p of await out.copyPages(bundle, repeat(bundle, k))) out.addPage(p);
  for (const p of await out.copyPages(split, repeat(split, m))) out.addPage(p);
  const forms = 4 * k + m;
  if (out.getPageCount() !== pages) throw new Error(`built ${out.getPageCount()} pages, wanted ${pages}`);
  const file = join(OUT, `bundle-${pages}.pdf`);
  writeFileSync(file, await out.save());
  writeFileSync(`${file}.forms`, String(forms));
  return file;
}

/**
 * A department's merged submission: every corpus file (three producers, each file with its own
 * fonts) merged by `qpdf`, cycled until the bundle reaches `pages`; unlike `buildBundle` nothing is
 * shared between the forms' resources.
 */
function buildMergedBundle(pages: number): { file: string; pages: number; forms: number } {
  const dir = join(ROOT, "fixtures/corpus/pdf");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".pdf"))
    .sort()
    .map((f) => join(dir, f));
  const npages = (f: string) => Number(execFileSync("qpdf", ["--show-npages", f], { encoding: "utf8" }));
  const formsOf = (f: string) =>
    (
      JSON.parse(
        readFileSync(join(ROOT, "fixtures/corpus/expected", `${basename(f, ".pdf")}.json`), "utf8"),
      ) as unknown[]
    ).length;
  const list: string[] = [];
  let total = 0;
  let forms = 0;
  while (total < pages)
    for (const f of files) {
      list.push(f);
      total += npages(f);
      forms += formsOf(f);
    }
  const file = join(OUT, `merged-${total}.pdf`);
  execFileSync("qpdf", ["--empty", "--pages", ...list, "--", file]);
  return { file, pages: total, forms };
}

function timed(cmd: string, args: string[], stdoutFile: string): { seconds: number; rssMiB: number } {
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%e %M", "sh", "-c", `"$0" "$@" > '${stdoutFile}'`, cmd, ...args],
    {
      encoding: "utf8",
    },
  );
  const last = r.stderr.trim().split("\n").at(-1) ?? "";
  const [secs, kib] = last.split(" ").map(Number);
  if (r.status !== 0 || secs === undefined || kib === undefined || Number.isNaN(secs)) {
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-500)}`);
  }
  return { seconds: secs, rssMiB: kib / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const rows: string[] = [];
  const results: Record<string, unknown> = {};
  const merged = buildMergedBundle(1000);
  const bundles: Array<{ label: string; file: string; pages: number; forms: number }> = [];
  for (const pages of [252, 1000, 2000]) {
    const file = await buildBundle(pages);
    bundles.push({ label: String(pages), file, pages, forms: Number(readFileSync(`${file}.forms`, "utf8")) });
  }
  bundles.push({ label: `${merged.pages} (qpdf merge of the corpus)`, ...merged });
  for (const { label, file, pages, forms: expectedForms } of bundles) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const out = join(OUT, `formex-${basename(file, ".pdf")}.jsonl`);
      runs.push(
        timed(
          process.execPath,
          [join(ROOT, "bin/formex.js"), "extract", file, "--jsonl", "--no-progress", "--no-store"],
          out,
        ),
      );
      const forms = readFileSync(out, "utf8").trim().split("\n").length;
      if (forms !== expectedForms)
        throw new Error(`formex gave ${forms} forms for ${pages} pages, want ${expectedForms}`);
    }
    const pdftotext = [];
    for (let i = 0; i < RUNS; i++) pdftotext.push(timed("pdftotext", ["-layout", file, "-"], "/dev/null"));
    const f = median(runs.map((r) => r.seconds));
    const p = median(pdftotext.map((r) => r.seconds));
    const rss = Math.max(...runs.map((r) => r.rssMiB));
    results[label] = { formexSeconds: f, pdftotextSeconds: p, formexPeakRssMiB: rss, runs, pdftotext };
    rows.push(
      `| ${label} | ${expectedForms} | ${f.toFixed(2)} s | ${(pages / f).toFixed(0)} | ${p.toFixed(2)} s | ${(pages / p).toFixed(0)} | ${(f / p).toFixed(1)}× | ${rss.toFixed(0)} MiB |`,
    );
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const table = [
    `machine: ${machine}; median of ${RUNS} runs; whole-process wall time`,
    "",
    "| pages | forms | formex | formex pages/s | pdftotext -layout | pdftotext pages/s | formex / pdftotext | formex peak RSS |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  writeFileSync(join(OUT, "text.json"), JSON.stringify({ machine, results }, null, 2));
  console.log(table);
}

await main();
// Library handles (pg, ioredis, worker threads) must not keep a finished benchmark alive.
process.exit(0);
