/**
 * Accuracy benchmark (issue 8): the generated corpus (forms that are not the seed's), scanned
 * under every condition, read by formex, scored per condition: fields exact, long-text CER, rows
 * F1, targets parsed, silent wrong, flagged-but-right (review load), false error flags, s/page;
 * and per field kind, the confidences of right and wrong fields (for calibration).
 * Run: `npm run bench:accuracy [-- --dir bench-out/corpus-scans] [--conditions a,b] [--engine paddle|tesseract]`.
 * The scans come from `npm run corpus:scans` (made first when the folder is missing).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ocrSettings } from "../src/ocr/settings.js";
import { type FileSummary, runBatch } from "../src/run/batch.js";
import { PagePool } from "../src/run/pool.js";
import type { Extraction } from "../src/schema.js";
import { type FieldResult, type FormScore, type ScoredForm, scoreForm, totals } from "./accuracy/score.js";

const ROOT = new URL("..", import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: join(ROOT, "bench-out/corpus-scans") },
    conditions: { type: "string" },
    engine: { type: "string" },
    out: { type: "string", default: join(ROOT, "bench-out/accuracy.json") },
  },
});
const dir = args.dir!;

if (!existsSync(dir)) {
  process.stderr.write(`${dir} is missing: making the scans (npm run corpus:scans)\n`);
  const r = spawnSync("npx", ["tsx", join(ROOT, "scripts/make-corpus-scans.ts"), "--out", dir], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const conditions = (args.conditions?.split(",") ?? readdirSync(dir).sort()).filter((c) =>
  existsSync(join(dir, c)),
);

interface ConditionResult {
  condition: string;
  files: number;
  pages: number;
  seconds: number;
  scores: FormScore[];
  /** The file each score (same index) belongs to. */
  scoreFiles: string[];
  fileErrors: string[];
}

async function runCondition(condition: string, pool: PagePool): Promise<ConditionResult> {
  const folder = join(dir, condition);
  const files = readdirSync(folder)
    .filter((f) => /\.(pdf|png|jpe?g|tiff?)$/i.test(f))
    .sort();
  const got = new Map<string, Extraction[]>();
  const started = performance.now();
  const summaries: FileSummary[] = await runBatch(
    files.map((f) => join(folder, f)),
    pool,
    {
      maxBytes: 500 * 1024 * 1024,
      maxPages: 2000,
      chunkPages: 10,
      onForm: (form, path) => {
        got.set(path, [...(got.get(path) ?? []), form]);
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const scores: FormScore[] = [];
  const scoreFiles: string[] = [];
  const fileErrors: string[] = [];
  for (const s of summaries) {
    for (const e of s.errors) fileErrors.push(`${s.path.split("/").at(-1)} p.${e.page ?? "-"} ${e.code}`);
    const want = JSON.parse(readFileSync(s.path.replace(/\.[^.]+$/, ".json"), "utf8")) as ScoredForm[];
    const forms = got.get(s.path) ?? [];
    for (const [i, w] of want.entries()) {
      scores.push(scoreForm(forms[i] as ScoredForm | undefined, w, s.errors.length > 0));
      scoreFiles.push(`${s.path.split("/").at(-1)}#${i + 1}`);
    }
  }
  const pages = summaries.reduce((a, s) => a + s.pages, 0);
  return { condition, files: files.length, pages, seconds, scores, scoreFiles, fileErrors };
}

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.9995 || x === 0 ? 0 : 2)}%`;

/** Per field kind: the lowest confidence of a wrong field and how many right fields sit under it. */
function calibration(fields: readonly FieldResult[]) {
  const kinds = [...new Set(fields.map((f) => f.kind))].sort();
  return kinds.map((kind) => {
    const of = fields.filter((f) => f.kind === kind && f.confidence !== null);
    const wrong = of.filter((f) => !f.right).map((f) => f.confidence!);
    const threshold = wrong.length === 0 ? 0 : Math.max(...wrong) + 0.001;
    const rightBelow = of.filter((f) => f.right && f.confidence! < threshold).length;
    return { kind, fields: of.length, wrong: wrong.length, threshold, rightBelow };
  });
}

const settings = {
  ...ocrSettings(process.env),
  ...(args.engine === "tesseract" ? { engine: "tesseract" as const } : {}),
};
const pool = new PagePool(Math.max(1, cpus().length), 60_000, settings);
const results: ConditionResult[] = [];
try {
  for (const c of conditions) {
    process.stderr.write(`${c}: reading…\n`);
    const r = await runCondition(c, pool);
    results.push(r);
    const t = totals(r.scores);
    process.stderr.write(
      `${c}: ${r.files} files, ${r.pages} pages, ${(r.seconds / Math.max(1, r.pages)).toFixed(2)} s/page, exact ${pct(t.exact / t.fields)}, CER ${pct(t.cer)}, rows F1 ${pct(t.rowsF1)}, targets ${pct(t.targetsParsed)}, silent wrong ${t.silentWrong.length}, flagged-but-right ${t.flaggedRight}, false errors ${t.falseErrors.length}\n`,
    );
    for (const f of t.silentWrong.slice(0, 12))
      process.stderr.write(
        `   silent: ${f.path} got ${JSON.stringify(f.got)} want ${JSON.stringify(f.want)}\n`,
      );
  }
} finally {
  await pool.close();
}

const rows = results.map((r) => ({ r, t: totals(r.scores) }));
const kindCell = (t: ReturnType<typeof totals>, kinds: string[]) => {
  const k = kinds.map((x) => t.byKind[x] ?? { right: 0, total: 0 });
  const right = k.reduce((a, b) => a + b.right, 0);
  const total = k.reduce((a, b) => a + b.total, 0);
  return total === 0 ? "–" : pct(right / total);
};
const table = [
  "| condition | forms | pages | s/page | fields exact | checkboxes | money, dates, year | names | targets (text) | targets parsed | long-text CER | rows F1 | silent wrong | flagged but right | false error flags | file errors |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map(
    ({ r, t }) =>
      `| ${r.condition} | ${t.forms} | ${r.pages} | ${(r.seconds / Math.max(1, r.pages)).toFixed(2)} | ${pct(t.exact / Math.max(1, t.fields))} | ${kindCell(t, ["checkbox"])} | ${kindCell(t, ["money", "date", "year"])} | ${kindCell(t, ["name"])} | ${kindCell(t, ["target"])} | ${pct(t.targetsParsed)} | ${pct(t.cer)} | ${pct(t.rowsF1)} | **${t.silentWrong.length}** | ${t.flaggedRight} | ${t.falseErrors.length} | ${r.fileErrors.length} |`,
  ),
].join("\n");
const allFields = rows.flatMap(({ r }) => r.scores.flatMap((s) => s.fields));
const cal = calibration(allFields);
const calTable = [
  "| field kind | fields | wrong | lowest threshold with no wrong field at or above it | right fields under it |",
  "|---|---|---|---|---|",
  ...cal.map((c) => `| ${c.kind} | ${c.fields} | ${c.wrong} | ${c.threshold.toFixed(3)} | ${c.rightBelow} |`),
].join("\n");
process.stdout.write(`${table}\n\n${calTable}\n`);
mkdirSync(join(ROOT, "bench-out"), { recursive: true });
writeFileSync(
  args.out!,
  JSON.stringify(
    rows.map(({ r, t }) => ({
      condition: r.condition,
      pages: r.pages,
      seconds: r.seconds,
      fileErrors: r.fileErrors,
      totals: { ...t, silentWrong: t.silentWrong },
      wrong: r.scores.flatMap((s, i) =>
        s.fields.filter((f) => !f.right).map((f) => ({ file: r.scoreFiles[i], ...f })),
      ),
      // Every field's kind, confidence and rightness: what calibration is made from.
      confidences: r.scores.flatMap((s) =>
        s.fields.map((f) => ({ kind: f.kind, confidence: f.confidence, right: f.right, flagged: f.flagged })),
      ),
    })),
    null,
    2,
  ),
);
