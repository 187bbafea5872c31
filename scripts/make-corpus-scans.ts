/**
 * Scanned copies of the corpus under named conditions (scripts/corpus/scan-conditions.ts): each an
 * image-only PDF with the expected output of its source (what paper shows: clipped text is not on
 * it) under the scan's name and hash, and a `scan` note naming the condition.
 *
 *   npm run corpus:scans -- [--out DIR] [--conditions a,b] [--ids c001,c002] [--per-condition N]
 *     writes DIR/<condition>/<id>.{pdf,json} (DIR defaults to bench-out/corpus-scans, git-ignored)
 *   npm run corpus:scans -- --sample
 *     writes the committed sample: one scan per condition, fixtures/corpus/scan/<condition>-<id>.pdf
 *     with fixtures/expected/corpus-scan/<condition>-<id>.json
 *   npm run corpus:scans -- --edge
 *     writes the committed edge cases (EDGE below) to fixtures/corpus/scan-edge/<condition>-<id>.{pdf,json}
 *
 * Deterministic from (condition, id). Needs imagemagick; the sources are fixtures/corpus/pdf
 * (pdf-lib files are rebuilt in memory, the same bytes).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BuiltFile, buildFile, expectedOf } from "./corpus/build.js";
import { type CorpusFile, corpusPlan } from "./corpus/plan.js";
import { Rand, seedOf } from "./corpus/prng.js";
import { CONDITIONS, type Condition, scan } from "./corpus/scan-conditions.js";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * The sample's form per condition, over the three producers: a seal on a long applicant name, pen
 * marks on a form with two 资金用途 options checked, ballot glyphs at 150 dpi, many target shapes;
 * light second pages where the condition's files are large (400 dpi, seal, photocopy).
 */
const SAMPLE: Record<string, string> = {
  gray300: "c003",
  gray200: "c013",
  bw200: "c009",
  gray150: "c011",
  gray400: "c021",
  "colour-seal300": "c044",
  "pen-ticks300": "c038",
  photocopy300: "c039",
  fax200: "c045",
  "jpeg-low-skew3": "c002",
  "phone-photo": "c041",
};

/** Scans a test holds to a behaviour rather than to accuracy: [condition, id, why]. */
const EDGE: ReadonlyArray<readonly [string, string, string]> = [
  [
    "fax200",
    "c021",
    "its rules survive only around the label column: refused page by page, never NOT_A_FORM",
  ],
  [
    "fax200",
    "c022",
    "a streak down the sheet beside the name column and scanlines lost through a category label: read with no false error flag",
  ],
];

/** Files a condition can scan: pdf.js cannot draw the non-embedded STSong; pen marks need the layout. */
function eligible(c: Condition, f: CorpusFile): boolean {
  if (f.font === "stsong") return false;
  return !c.pen || f.producer === "pdf-lib";
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function source(f: CorpusFile, pen: boolean): Promise<BuiltFile> {
  return buildFile(pen ? { ...f, style: { ...f.style!, blankBoxes: true } } : f, true);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sample = args.includes("--sample");
  const edge = args.includes("--edge");
  const out = arg(args, "--out") ?? join(ROOT, "bench-out/corpus-scans");
  const conditions = (arg(args, "--conditions")?.split(",") ?? CONDITIONS.map((c) => c.name)).map((n) => {
    const c = CONDITIONS.find((x) => x.name === n);
    if (!c) throw new Error(`unknown condition ${n}; known: ${CONDITIONS.map((x) => x.name).join(", ")}`);
    return c;
  });
  const ids = arg(args, "--ids")?.split(",");
  const perCondition = Number(arg(args, "--per-condition") ?? Number.POSITIVE_INFINITY);
  const plan = corpusPlan();
  const jobs: Array<[Condition, CorpusFile]> = [];
  for (const [name, id] of edge ? EDGE : []) {
    const c = CONDITIONS.find((x) => x.name === name)!;
    jobs.push([c, plan.find((f) => f.id === id)!]);
  }
  for (const c of edge ? [] : conditions) {
    let files = plan.filter((f) => eligible(c, f) && (!ids || ids.includes(f.id)));
    if (sample) files = plan.filter((f) => f.id === SAMPLE[c.name]);
    else if (Number.isFinite(perCondition)) {
      files = new Rand(seedOf("per-condition", c.name)).sample(files, perCondition);
      files.sort((a, b) => plan.indexOf(a) - plan.indexOf(b));
    }
    for (const f of files) jobs.push([c, f]);
  }
  const started = Date.now();
  let k = 0;
  for (const [c, f] of jobs) {
    const t0 = Date.now();
    const built = await source(f, c.pen === true);
    const bytes = await scan(c, f.id, {
      bytes: built.printed.bytes,
      forms: built.forms.map((g, i) => ({ applicant: g.form.applicant, pages: built.printed.pages[i]! })),
      boxes: built.printed.truths?.flatMap((t) => t.boxes) ?? null,
    });
    const name = sample || edge ? `${c.name}-${f.id}` : f.id;
    const edgeDir = join(ROOT, "fixtures/corpus/scan-edge");
    const pdfDir = edge ? edgeDir : sample ? join(ROOT, "fixtures/corpus/scan") : join(out, c.name);
    const jsonDir = edge ? edgeDir : sample ? join(ROOT, "fixtures/expected/corpus-scan") : join(out, c.name);
    mkdirSync(pdfDir, { recursive: true });
    mkdirSync(jsonDir, { recursive: true });
    const expected = expectedOf(built, `${name}.pdf`, bytes, true).map(
      ({ source: src, fields, ...rest }) => ({
        schemaVersion: rest.schemaVersion,
        template: rest.template,
        source: src,
        scan: { condition: c.name, from: `corpus/pdf/${f.id}.pdf`, refusalAcceptable: c.photo === true },
        form: rest.form,
        // A photo's page is not the sheet's: its cell boxes are not where the layout put them.
        fields: c.photo ? null : fields,
        flags: rest.flags,
      }),
    );
    writeFileSync(join(pdfDir, `${name}.pdf`), bytes);
    writeFileSync(join(jsonDir, `${name}.json`), `${JSON.stringify(expected, null, 2)}\n`);
    k++;
    console.log(
      `[${k}/${jobs.length}] ${c.name}/${f.id}: ${built.printed.pages.flat().length} pages, ` +
        `${(bytes.length / 1024).toFixed(0)} KiB, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  console.log(`${jobs.length} scans in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
