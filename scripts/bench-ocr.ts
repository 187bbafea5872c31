/**
 * OCR benchmark (issue 3): seconds per scanned page and long-text character error rate for
 * `formex extract` and for the native `tesseract` CLI (`-l chi_sim --psm 6`, Debian's
 * tesseract-ocr-chi-sim) on the whole page, on the same page pixels; formex's peak RSS; and a
 * 40-page scanned bundle with RSS sampled through the run (memory flat in the page count).
 * Run: `npm run bench:ocr`. Needs a build, tesseract-ocr + tesseract-ocr-chi-sim, GNU time.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { toPgm } from "../src/ocr/image.js";
import { withPdf } from "../src/pdf/open.js";
import { pageImage } from "../src/pdf/page-image.js";
import type { Extraction } from "../src/schema.js";
import { editDistance } from "../src/text/distance.js";
import type { ExpectedForm } from "../test/helpers/golden.js";
import { LONG_TEXT, scoreOcr } from "../test/helpers/ocr-metrics.js";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "bench-out");
const SCANS = join(ROOT, "fixtures/scan");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const files = readdirSync(SCANS)
  .filter((f) => f.endsWith(".pdf"))
  .sort();
const expected = new Map(
  files.map((f) => [
    f,
    JSON.parse(
      readFileSync(join(ROOT, "fixtures/expected/scan", f.replace(/\.pdf$/, ".json")), "utf8"),
    )[0] as ExpectedForm,
  ]),
);

function timed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { seconds: number; rssMiB: number; stdout: string } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", cmd, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const [secs, kib] = (r.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  if (r.status !== 0 || secs === undefined || kib === undefined || Number.isNaN(secs))
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { seconds: secs, rssMiB: kib / 1024, stdout: r.stdout };
}

/** Smallest edit distance between `pattern` and any substring of `text` (approximate search). */
function bestSubstringDistance(pattern: string, text: string): number {
  const p = [...pattern];
  const t = [...text];
  let prev = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= p.length; i++) {
    const cur = new Array<number>(t.length + 1);
    cur[0] = i;
    for (let j = 1; j <= t.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (p[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return Math.min(...prev);
}

const formexCmd = (paths: string[]) => [
  join(ROOT, "bin/formex.js"),
  "extract",
  ...paths,
  "--jsonl",
  "--no-progress",
  "--no-store",
];

function formexCer(stdout: string): { errors: number; length: number } {
  let errors = 0;
  let length = 0;
  for (const line of stdout.trim().split("\n")) {
    const form = JSON.parse(line) as Extraction;
    const s = scoreOcr(form, expected.get(form.source.file)!);
    errors += s.longText.errors;
    length += s.longText.length;
  }
  return { errors, length };
}

/** RSS of a process tree's root, sampled every `ms` until it exits. */
function sampleRss(cmd: string, args: string[], ms: number): Promise<{ seconds: number; samples: number[] }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "ignore"] });
    const samples: number[] = [];
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        if (kib > 0) samples.push(Math.round(kib / 1024));
      } catch {
        // exited between samples
      }
    }, ms);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${cmd} exited ${code}`));
      else resolve({ seconds: (Date.now() - start) / 1000, samples });
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const paths = files.map((f) => join(SCANS, f));

  // The pixels formex reads (the scan's own image, upright as the page shows it), for tesseract.
  const pages: Array<{ file: string; page: number; pgm: string }> = [];
  for (const f of files) {
    await withPdf(readFileSync(join(SCANS, f)), f, async (doc) => {
      for (let n = 1; n <= doc.numPages; n++) {
        const pgm = join(OUT, `${f}.p${n}.pgm`);
        writeFileSync(pgm, toPgm((await pageImage(doc, n)).image));
        pages.push({ file: f, page: n, pgm });
      }
    });
  }

  // formex: the whole process over all scanned fixtures, one OCR worker per core.
  const formexRuns = Array.from({ length: RUNS }, () => timed("node", formexCmd(paths)));
  const formexCerAll = formexCer(formexRuns[0]!.stdout);
  const bestModel = timed("node", formexCmd(paths), { FORMEX_OCR_MODEL: "4.0.0" });
  const bestCer = formexCer(bestModel.stdout);

  // Native tesseract, whole page, one process per core (OMP_THREAD_LIMIT=1, as the field notes advise).
  const cores = cpus().length;
  const native = (page: { pgm: string }) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn("tesseract", [page.pgm, "-", "-l", "chi_sim", "--psm", "6"], {
        env: { ...process.env, OMP_THREAD_LIMIT: "1" },
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.on("error", reject);
      child.on("close", () => resolve(out));
    });
  const nativeRuns: number[] = [];
  let nativeText = new Map<string, string>();
  for (let r = 0; r < RUNS; r++) {
    const start = Date.now();
    const texts = new Map<string, string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: cores }, async () => {
        while (next < pages.length) {
          const p = pages[next++]!;
          texts.set(`${p.file}#${p.page}`, await native(p));
        }
      }),
    );
    nativeRuns.push((Date.now() - start) / 1000);
    nativeText = texts;
  }
  const singlePage: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = Date.now();
    await native(pages[0]!);
    singlePage.push((Date.now() - start) / 1000);
  }
  // Native CER: each expected long text against the best-matching stretch of its form's pages.
  let nErrors = 0;
  let nLength = 0;
  for (const f of files) {
    const text = pages
      .filter((p) => p.file === f)
      .map((p) => nativeText.get(`${p.file}#${p.page}`) ?? "")
      .join("")
      .replace(/\s+/g, "");
    for (const key of LONG_TEXT) {
      const want = (expected.get(f)!.form[key] ?? "").replace(/\s+/g, "");
      nErrors += bestSubstringDistance(want, text);
      nLength += [...want].length;
    }
  }

  // A 40-page scanned bundle: the fixtures' pages over and over, RSS sampled every second.
  const sources = await Promise.all(paths.map(async (p) => PDFDocument.load(readFileSync(p))));
  const bundle = await PDFDocument.create();
  for (let i = 0; i < 40; i++) {
    const src = sources[Math.floor(i / 3) % sources.length]!;
    const [page] = await bundle.copyPages(src, [i % 3]);
    bundle.addPage(page!);
  }
  const bundlePath = join(OUT, "scan-bundle-40.pdf");
  writeFileSync(bundlePath, await bundle.save());
  const big = await sampleRss("node", formexCmd([bundlePath]), 1000);
  const small = timed("node", formexCmd([join(SCANS, files[0]!)]));

  const result = {
    machine: { cores, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    pages: pages.length,
    formex: {
      secondsPerPage: median(formexRuns.map((r) => r.seconds)) / pages.length,
      wall: formexRuns.map((r) => r.seconds),
      peakRssMiB: Math.max(...formexRuns.map((r) => r.rssMiB)),
      cer: formexCerAll.errors / formexCerAll.length,
      model: "4.0.0_best_int",
      best: { secondsPerPage: bestModel.seconds / pages.length, cer: bestCer.errors / bestCer.length },
    },
    native: {
      secondsPerPage: median(nativeRuns) / pages.length,
      wall: nativeRuns,
      singlePageSeconds: median(singlePage),
      cer: nErrors / nLength,
    },
    bundle40: {
      seconds: big.seconds,
      rssSamplesMiB: big.samples,
      peakSampledMiB: Math.max(...big.samples),
      threePagePeakRssMiB: small.rssMiB,
    },
  };
  writeFileSync(join(OUT, "ocr.json"), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  // Keep `editDistance` honest with the approximate search on a known pair.
  if (editDistance("abc", "abd") !== 1 || bestSubstringDistance("bcd", "xxbcdxx") !== 0)
    throw new Error("distance self-check failed");
}

await main();
