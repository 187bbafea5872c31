/**
 * Text-layer throughput: whole-process wall time of `formex extract` on a bundle of N pages built
 * from the fixtures (median of 5 runs), beside `pdftotext -layout` on the same file, with peak RSS
 * at two bundle sizes to show memory flat in the page count, and two bundles merged by qpdf from
 * different files (no shared fonts): the corpus files, and the text-layer fixtures (fixtures/pdf and
 * fixtures/mof), each file copy with its own resources.
 *
 * Run: `npm run bench [-- --baseline DIR] [-- --bundles 1000,corpus,fixtures]`.
 * `--baseline DIR`: another checkout (built, e.g. a `git worktree` at an older commit) whose
 * bin/formex.js is timed too. Every run times the commands one after the other on the same file
 * (formex, baseline, pdftotext, the order rotated each run), so load from elsewhere on the machine
 * hits all sides alike. `--bundles`: which bundles (252, 1000, 2000, corpus, fixtures; default all).
 * Needs: a build (`npm run build`), poppler-utils (pdftotext), qpdf and GNU time (/usr/bin/time).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PDFDocument } from "pdf-lib";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "bench-out");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const { values: args } = parseArgs({
  options: {
    baseline: { type: "string" },
    bundles: { type: "string", default: "252,1000,2000,corpus,fixtures" },
  },
});
const BASELINE = args.baseline ? resolve(args.baseline) : null;
/** The baseline's commit when it is a git checkout, else its directory's name. */
const BASELINE_COMMIT = BASELINE
  ? spawnSync("git", ["-C", BASELINE, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim() ||
    basename(BASELINE)
  : null;
const WANTED = new Set(args.bundles.split(","));
const npages = (f: string) => Number(execFileSync("qpdf", ["--show-npages", f], { encoding: "utf8" }));

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

/**
 * A department's merged submission built from the text-layer fixtures: every fixtures/pdf and
 * fixtures/mof file, cycled until the bundle reaches `pages`. qpdf copies a file's fonts once per
 * input file name, so each cycle merges fresh copies of the files (c1-…, c2-…): every form brings
 * its own fonts, as files from different desks do.
 */
function buildFixturesBundle(pages: number): { file: string; pages: number; forms: number } {
  const sources = ["pdf", "mof"].flatMap((sub) =>
    readdirSync(join(ROOT, "fixtures", sub))
      .filter((f) => f.endsWith(".pdf"))
      .sort()
      .map((f) => ({
        path: join(ROOT, "fixtures", sub, f),
        expected: join(ROOT, "fixtures/expected", sub === "pdf" ? "" : sub, `${basename(f, ".pdf")}.json`),
      })),
  );
  const copies = join(OUT, "fixtures-copies");
  rmSync(copies, { recursive: true, force: true });
  mkdirSync(copies);
  const list: string[] = [];
  let total = 0;
  let forms = 0;
  for (let cycle = 1; total < pages; cycle++)
    for (const { path, expected } of sources) {
      const copy = join(copies, `c${cycle}-${basename(path)}`);
      copyFileSync(path, copy);
      list.push(copy);
      total += npages(path);
      forms += (JSON.parse(readFileSync(expected, "utf8")) as unknown[]).length;
    }
  const file = join(OUT, `fixtures-merged-${total}.pdf`);
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

type Side = "formex" | "baseline" | "pdftotext";
interface Run {
  seconds: number;
  rssMiB: number;
  forms: number | null;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const results: Record<string, unknown> = {};
  const bundles: Array<{ label: string; file: string; pages: number; forms: number }> = [];
  for (const pages of [252, 1000, 2000]) {
    if (!WANTED.has(String(pages))) continue;
    const file = await buildBundle(pages);
    bundles.push({ label: String(pages), file, pages, forms: Number(readFileSync(`${file}.forms`, "utf8")) });
  }
  if (WANTED.has("corpus")) {
    const merged = buildMergedBundle(1000);
    bundles.push({ label: `${merged.pages} (qpdf merge of the corpus)`, ...merged });
  }
  if (WANTED.has("fixtures")) {
    const merged = buildFixturesBundle(1000);
    bundles.push({ label: `${merged.pages} (qpdf merge of fixtures/pdf + mof)`, ...merged });
  }
  const sides: Side[] = BASELINE ? ["formex", "baseline", "pdftotext"] : ["formex", "pdftotext"];
  const formexRun = (bin: string, file: string, out: string): Run => {
    const r = timed(process.execPath, [bin, "extract", file, "--jsonl", "--no-progress", "--no-store"], out);
    return { ...r, forms: readFileSync(out, "utf8").trim().split("\n").filter(Boolean).length };
  };
  const rows: string[] = [];
  for (const { label, file, pages, forms: expectedForms } of bundles) {
    const runs: Record<Side, Run[]> = { formex: [], baseline: [], pdftotext: [] };
    const out = join(OUT, `formex-${basename(file, ".pdf")}.jsonl`);
    for (let i = 0; i < RUNS; i++) {
      // Rotate the order each run: no side always runs first (cold caches) or last.
      const order = sides.map((_, k) => sides[(k + i) % sides.length]!);
      for (const side of order) {
        const r =
          side === "formex"
            ? formexRun(join(ROOT, "bin/formex.js"), file, out)
            : side === "baseline"
              ? formexRun(join(BASELINE!, "bin/formex.js"), file, `${out}.baseline`)
              : { ...timed("pdftotext", ["-layout", file, "-"], "/dev/null"), forms: null };
        runs[side].push(r);
        console.error(
          `${label} run ${i + 1} ${side}: ${r.seconds.toFixed(2)} s, ${r.rssMiB.toFixed(0)} MiB${r.forms === null ? "" : `, ${r.forms} forms`}`,
        );
        if (side === "formex" && r.forms !== expectedForms)
          throw new Error(`formex gave ${r.forms} forms for ${pages} pages, want ${expectedForms}`);
      }
    }
    const p = median(runs.pdftotext.map((r) => r.seconds));
    const summary: Record<string, unknown> = {};
    for (const side of sides) {
      const t = median(runs[side].map((r) => r.seconds));
      const rss = Math.max(...runs[side].map((r) => r.rssMiB));
      const forms = [...new Set(runs[side].map((r) => r.forms))].join("/");
      const name =
        side === "formex"
          ? "formex (this checkout)"
          : side === "baseline"
            ? `formex baseline ${BASELINE_COMMIT}`
            : "pdftotext -layout";
      summary[side] = { medianSeconds: t, peakRssMiB: rss, runs: runs[side] };
      rows.push(
        `| ${label} | ${name} | ${side === "pdftotext" ? "–" : forms} | ${t.toFixed(2)} s | ${(pages / t).toFixed(0)} | ${(t / p).toFixed(2)}× | ${rss.toFixed(0)} MiB | ${runs[side].map((r) => r.seconds.toFixed(1)).join(", ")} |`,
      );
    }
    results[label] = { pages, expectedForms, ...summary };
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const table = [
    `machine: ${machine}; median of ${RUNS} interleaved runs; whole-process wall time`,
    "",
    "| pages | reader | forms | median wall | pages/s | / pdftotext | peak RSS | runs (s) |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  writeFileSync(
    join(OUT, "text.json"),
    JSON.stringify({ machine, baseline: BASELINE, baselineCommit: BASELINE_COMMIT, results }, null, 2),
  );
  console.log(table);
}

await main();
// Library handles (pg, ioredis, worker threads) must not keep a finished benchmark alive.
process.exit(0);
