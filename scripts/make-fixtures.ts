/**
 * Renders the seed's four forms into text-layer PDFs in several producer styles and writes, for
 * each, the expected extraction derived from the hand-checked `fixtures/expected/seed/*.json` plus
 * what this script knows it drew (pages, cells, cut text). Run: `npm run fixtures`.
 * The Chromium variant needs Debian's chromium and fonts-noto-cjk; pass `--no-chromium` to skip it.
 * It also writes the mof-project fixtures (fixtures/mof/*.pdf, fixtures/expected/mof/); pass
 * `--mof-only` to write only those.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FLAGS } from "../src/codes.js";
import { cleanText, looksCut, MIN_CUT_TEXT } from "./fixtures/cut-text.js";
import { printWithChromium, renderHtml } from "./fixtures/html.js";
import { layoutForms, type Style, type Truth } from "./fixtures/layout.js";
import { writeMofFixtures } from "./fixtures/mof-write.js";
import { createWriter } from "./fixtures/pdf-writer.js";
import { type PrintedForm, readPrintedForms } from "./fixtures/printed.js";

const ROOT = new URL("..", import.meta.url).pathname;
const PDF_DIR = join(ROOT, "fixtures/pdf");
const EXPECTED_DIR = join(ROOT, "fixtures/expected");

const BASE: Style = {
  checkbox: "ballot",
  boxBeforeLabel: false,
  truncate: null,
  splitText: null,
  spanLabel: "last",
  halfWidth: false,
  footer: false,
};

interface Variant {
  name: string;
  forms: number[];
  style: Partial<Style>;
  font?: "embedded" | "stsong";
  note: string;
}

export const VARIANTS: Variant[] = [
  {
    name: "f1-ballot-glyphs",
    forms: [1],
    style: { checkbox: "ballot", footer: true },
    note: "☐/☑ glyphs after each option; spanning label printed on the last fragment (as in the seed); `— n —` footers",
  },
  {
    name: "f2-square-tick",
    forms: [2],
    style: { checkbox: "square-tick", boxBeforeLabel: true },
    note: "□ glyph before each option, a √ glyph drawn over it when checked",
  },
  {
    name: "f3-square-glyphs",
    forms: [3],
    style: { checkbox: "square", spanLabel: "first" },
    note: "□/■ glyphs; spanning labels only on the first fragment, continuation rows with an empty category cell",
  },
  {
    name: "f4-vector-boxes",
    forms: [4],
    style: { checkbox: "vector", halfWidth: true },
    note: "vector-drawn boxes with a drawn tick; half-width `(元)` and `:` in labels",
  },
  {
    name: "f1-acroform",
    forms: [1],
    style: { checkbox: "acroform", spanLabel: "every" },
    note: "AcroForm checkbox widgets; spanning labels on every fragment",
  },
  {
    name: "f2-clipped",
    forms: [2],
    style: { truncate: { maxLines: 3, mode: "clip" } },
    note: "long cells cut at 3 lines; the rest drawn under the cell's clip path (recoverable)",
  },
  {
    name: "f3-dropped",
    forms: [3],
    style: { truncate: { maxLines: 3, mode: "drop" }, checkbox: "square" },
    note: "long cells cut at 3 lines; the rest dropped (not recoverable)",
  },
  {
    name: "f4-split-cell",
    forms: [4],
    style: { splitText: { field: "safeguards", afterLines: 2 }, spanLabel: "first", footer: true },
    note: "保证项目实施的制度、措施 split across a page break after 2 lines; labels on first fragments",
  },
  {
    name: "f1-stsong-cid",
    forms: [1],
    font: "stsong",
    style: { checkbox: "ballot" },
    note: "non-embedded CID font STSong-Light with UniGB-UCS2-H (needs pdf.js CMaps)",
  },
  {
    name: "bundle-4forms",
    forms: [1, 2, 3, 4],
    style: { checkbox: "ballot", footer: true },
    note: "all four forms back to back in one file",
  },
];

const CHROMIUM_VARIANT = {
  name: "f2-chromium-kangxi",
  forms: [2],
  note: "HTML table printed by Debian's chromium in Noto Sans CJK SC: Type 3 fonts whose text layer pdf.js reads as Kangxi radicals (⽀ ⽬ ⼯), `―` for `—`, borders as filled rectangles, rows split at page breaks left open, checkbox widgets drawn as paths",
};

type Json = Record<string, unknown>;

function loadCanonical(): Json[] {
  const dir = join(EXPECTED_DIR, "seed");
  return readdirSync(dir)
    .filter((f) => /^form-\d+\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Json);
}

/** The expected output for one rendered form: canonical values, this rendering's pages, cells and cuts. */
function expectedFor(
  canonical: Json,
  truth: Truth | null,
  file: string,
  sha: string,
  formIndex: number,
): Json {
  const form = structuredClone(canonical.form) as Record<string, unknown>;
  const flags = structuredClone(canonical.flags) as Array<{
    code: string;
    severity: string;
    field: string | null;
    message: string;
  }>;
  const fields: Record<string, unknown> = {};
  if (truth) {
    for (const [path, cut] of Object.entries(truth.cut)) {
      const key = path.replace(/^form\./, "");
      if (cut.mode === "drop") {
        const visible = cleanText(cut.visible);
        form[key] = visible;
        const flagged = flags.some((f) => f.code === "TRUNCATED_TEXT" && f.field === path);
        if (looksCut(visible, MIN_CUT_TEXT) && !flagged)
          flags.push({
            code: "TRUNCATED_TEXT",
            severity: FLAGS.TRUNCATED_TEXT.severity,
            field: path,
            message: "",
          });
      } else {
        flags.push({ code: "RECOVERED_CLIPPED_TEXT", severity: "info", field: path, message: "" });
      }
    }
    for (const [path, f] of Object.entries(truth.fields)) {
      fields[path] = { page: f.page, bbox: f.bbox.map((v) => Math.round(v * 10) / 10) };
    }
  }
  return {
    schemaVersion: 1,
    template: "sh-perf-2018",
    source: { file, sha256: sha, pages: truth?.pages ?? null, formIndex },
    form,
    fields: truth ? fields : null,
    flags: flags.map((f) => ({ code: f.code, severity: f.severity, field: f.field })),
  };
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  for (const line of await writeMofFixtures(ROOT)) console.log(line);
  if (args.has("--mof-only")) return;
  const printed = readPrintedForms(readFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), "utf8"));
  const canonical = loadCanonical();
  if (canonical.length !== printed.length)
    throw new Error(`expected ${printed.length} canonical forms in fixtures/expected/seed`);
  mkdirSync(PDF_DIR, { recursive: true });
  const readme: string[] = [];

  for (const v of VARIANTS) {
    const writer = await createWriter(v.font ?? "embedded", `formex fixture ${v.name}`);
    const forms: PrintedForm[] = v.forms.map((n) => printed[n - 1]!);
    const { pages, truths } = layoutForms(forms, { ...BASE, ...v.style }, writer.measure);
    const bytes = await writer.write(pages);
    const file = `${v.name}.pdf`;
    writeFileSync(join(PDF_DIR, file), bytes);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const expected = v.forms.map((n, i) => expectedFor(canonical[n - 1]!, truths[i]!, file, sha, i + 1));
    writeFileSync(join(EXPECTED_DIR, `${v.name}.json`), `${JSON.stringify(expected, null, 2)}\n`);
    if (v.style.truncate?.mode === "clip") {
      // What the paper shows: the clipped rest is invisible, so a scan of it reads as cut text,
      // flagged where the visible text stops mid-sentence (the seed's own flag for the full text
      // says nothing about where the cut fell).
      const asPrinted = v.forms.map((n, i) => {
        const t = truths[i]!;
        const cut = Object.fromEntries(
          Object.entries(t.cut).map(([k, c]) => [k, { ...c, mode: "drop" as const }]),
        );
        const base = structuredClone(canonical[n - 1]!);
        base.flags = (base.flags as Array<{ code: string; field: string | null }>).filter(
          (f) => !(f.code === "TRUNCATED_TEXT" && f.field !== null && f.field in cut),
        );
        return expectedFor(base, { ...t, cut }, file, sha, i + 1);
      });
      writeFileSync(
        join(EXPECTED_DIR, `${v.name}.as-printed.json`),
        `${JSON.stringify(asPrinted, null, 2)}\n`,
      );
    }
    readme.push(`| \`pdf/${file}\` | ${v.forms.join(", ")} | ${pages.length} | ${v.note} |`);
    console.log(`${file}: ${pages.length} pages`);
  }

  if (!args.has("--no-chromium")) {
    const v = CHROMIUM_VARIANT;
    const dir = join(tmpdir(), `formex-fixture-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const html = join(dir, "form.html");
    writeFileSync(html, renderHtml(v.forms.map((n) => printed[n - 1]!)));
    const file = `${v.name}.pdf`;
    printWithChromium(html, join(PDF_DIR, file), dir);
    rmSync(dir, { recursive: true, force: true });
    const bytes = readFileSync(join(PDF_DIR, file));
    const sha = createHash("sha256").update(bytes).digest("hex");
    // Chromium lays the page out itself: pages and cell boxes are not known here, values are.
    const expected = v.forms.map((n, i) => expectedFor(canonical[n - 1]!, null, file, sha, i + 1));
    writeFileSync(join(EXPECTED_DIR, `${v.name}.json`), `${JSON.stringify(expected, null, 2)}\n`);
    readme.push(`| \`pdf/${file}\` | ${v.forms.join(", ")} | – | ${v.note} |`);
    console.log(`${file}: chromium`);
  } else if (existsSync(join(PDF_DIR, `${CHROMIUM_VARIANT.name}.pdf`))) {
    readme.push(
      `| \`pdf/${CHROMIUM_VARIANT.name}.pdf\` | ${CHROMIUM_VARIANT.forms.join(", ")} | – | ${CHROMIUM_VARIANT.note} |`,
    );
  }
  // A password-protected copy for the bad-input tests (Debian's qpdf, AES-256).
  mkdirSync(join(ROOT, "fixtures/bad"), { recursive: true });
  execFileSync("qpdf", [
    "--encrypt",
    "formex-user",
    "formex-owner",
    "256",
    "--",
    join(PDF_DIR, "f1-ballot-glyphs.pdf"),
    join(ROOT, "fixtures/bad/encrypted.pdf"),
  ]);
  writeFileSync(
    join(ROOT, "fixtures/pdf/VARIANTS.md"),
    `| file | seed forms | pages | how it was made |\n|---|---|---|---|\n${readme.join("\n")}\n`,
  );
}

await main();
