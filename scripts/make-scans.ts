/**
 * Scanned variants of the text-layer fixtures: each page rendered to pixels, then skewed, noised,
 * darkened, binarized or turned the way scanners and photocopiers do it, and stored as an
 * image-only PDF. The expected file is the text fixture's, with this file's name and hash: a scan
 * shows what the text fixture shows (none of the sources hides text under a clip).
 * Run: `npm run fixtures` (after the text fixtures) or `tsx scripts/make-scans.ts`.
 * Needs Debian's imagemagick for the gray JPEG encoding.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { degrees, PDFDocument } from "pdf-lib";
import type * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { prng } from "./corpus/prng.js";
import { addImagePage } from "./corpus/scan-pdf.js";
import {
  addNoise,
  jpeg,
  openPdf,
  photocopy,
  renderGray,
  scannerEdges,
  toPbm,
  turnCounterClockwise,
} from "./corpus/scan-raster.js";

const ROOT = new URL("..", import.meta.url).pathname;

interface PageTreatment {
  /** Clockwise skew in degrees, as a sheet fed crooked. */
  skew: number;
  /** "sideways": the sheet was scanned turned 90° (the image is landscape); "rotate": upright
   * content stored turned and the page's /Rotate set to show it upright. */
  turn?: "sideways" | "rotate";
  dark?: boolean;
  /** A scanner's dark edges: a black band down the left side and along the top. */
  border?: boolean;
}

export interface ScanVariant {
  name: string;
  from: string;
  /** The expected file to start from, when not the source's own (`<from>.as-printed` for clipped text). */
  expected?: string;
  dpi: number;
  encoding: "jpeg" | "1bit" | "ccitt";
  pages: PageTreatment[];
  note: string;
}

export const SCAN_VARIANTS: ScanVariant[] = [
  {
    name: "s1-gray300-skew",
    from: "f1-ballot-glyphs",
    dpi: 300,
    encoding: "jpeg",
    pages: [{ skew: 1.5 }, { skew: -1.2 }, { skew: 0.8 }],
    note: "300 dpi gray JPEG, skewed +1.5°/−1.2°/+0.8°, sensor noise; ☐/☑ glyph boxes",
  },
  {
    name: "s2-gray300-sideways",
    from: "f2-square-tick",
    dpi: 300,
    encoding: "jpeg",
    pages: [{ skew: -1.5 }, { skew: 0.5, turn: "sideways" }, { skew: 1 }],
    note: "300 dpi gray JPEG with noise; page 2 scanned sideways (landscape image, turned 90°); □ with √ drawn over it",
  },
  {
    name: "s3-bw200",
    from: "f3-square-glyphs",
    dpi: 200,
    encoding: "1bit",
    pages: [{ skew: 0.7 }, { skew: -0.4 }, { skew: 1.1 }],
    note: "200 dpi 1-bit (Flate), skewed, noise thresholded into speckles; □/■ glyph boxes",
  },
  {
    name: "s5-ccitt300-acroform",
    from: "f1-acroform",
    dpi: 300,
    encoding: "ccitt",
    pages: [{ skew: -0.9 }, { skew: 0.4 }, { skew: -0.3 }],
    note: "300 dpi 1-bit CCITT Group 4 (a fax-style office scanner); the checkbox widgets' drawn appearances are all a scan shows of them",
  },
  {
    name: "s6-gray300-clipped",
    from: "f2-clipped",
    expected: "f2-clipped.as-printed",
    dpi: 300,
    encoding: "jpeg",
    pages: [{ skew: 0.6, border: true }, { skew: -0.8 }, { skew: 0.2 }],
    note: "300 dpi gray JPEG of the clipped-cell fixture: the text hidden under the cells' clip is not on paper, so the scan reads the visible text and flags TRUNCATED_TEXT where it stops mid-sentence; page 1 has a scanner's dark edges",
  },
  {
    name: "s4-gray300-photocopy",
    from: "f4-vector-boxes",
    dpi: 300,
    encoding: "jpeg",
    pages: [{ skew: -0.6 }, { skew: 1.3, dark: true }, { skew: 0.3, turn: "rotate" }],
    note: "300 dpi gray JPEG; page 2 a dark photocopy (gray ground, thick strokes, toner specks); page 3 stored turned with /Rotate 90; vector boxes with drawn ticks",
  },
];

/** Opens a text fixture with pdf.js to render its pages. */
function openSource(from: string): Promise<pdfjs.PDFDocumentProxy> {
  return openPdf(new Uint8Array(readFileSync(join(ROOT, "fixtures/pdf", `${from}.pdf`))));
}

/** The expected output of a scan: the source's expected file with the scan's name and hash. */
function writeExpected(expectedFrom: string, file: string, bytes: Uint8Array, name: string): void {
  const expected = JSON.parse(
    readFileSync(join(ROOT, "fixtures/expected", `${expectedFrom}.json`), "utf8"),
  ) as Array<{ source: { file: string; sha256: string } }>;
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  for (const form of expected) form.source = { ...form.source, file, sha256 };
  writeFileSync(
    join(ROOT, "fixtures/expected/scan", `${name}.json`),
    `${JSON.stringify(expected, null, 2)}\n`,
  );
}

async function makeVariant(v: ScanVariant): Promise<void> {
  const src = await openSource(v.from);
  const out = await PDFDocument.create();
  out.setProducer("formex fixture script (scanned variant)");
  out.setCreationDate(new Date(Date.UTC(2018, 0, 15)));
  out.setModificationDate(new Date(Date.UTC(2018, 0, 15)));
  const rand = prng(createHash("sha256").update(v.name).digest().readUInt32LE(0));
  for (let n = 1; n <= src.numPages; n++) {
    const t = v.pages[n - 1] ?? { skew: 0 };
    const page = await src.getPage(n);
    const { width: pw, height: ph } = page.getViewport({ scale: 1 });
    let img = await renderGray(page, v.dpi, t.skew);
    page.cleanup();
    if (t.dark) photocopy(img, rand);
    if (t.border) scannerEdges(img, rand);
    addNoise(img, rand, v.encoding === "1bit" ? 30 : 10);
    if (t.turn) img = turnCounterClockwise(img);
    const landscape = t.turn !== undefined;
    const [w, h] = landscape ? [ph, pw] : [pw, ph];
    const p = addImagePage(
      out,
      v.encoding === "jpeg"
        ? { encoding: "jpeg", data: jpeg(img), width: img.width, height: img.height, colour: "gray" }
        : { encoding: v.encoding, gray: img, threshold: 150 },
      w,
      h,
    );
    // Sideways: the sheet itself lies turned on the glass; "rotate": the viewer is told to turn it.
    if (t.turn === "rotate") p.setRotation(degrees(90));
  }
  await src.destroy();
  const bytes = await out.save({ useObjectStreams: false });
  const file = `${v.name}.pdf`;
  mkdirSync(join(ROOT, "fixtures/scan"), { recursive: true });
  writeFileSync(join(ROOT, "fixtures/scan", file), bytes);
  writeExpected(v.expected ?? v.from, file, bytes, v.name);
  console.log(`${file}: ${src.numPages} pages`);
}

/**
 * A fax-style multi-page TIFF (CCITT G4, 300 dpi, one page per frame) of the first text fixture,
 * for the image-file input: the expected output is that fixture's, as for the PDF scans.
 */
async function makeTiff(): Promise<void> {
  const from = "f1-ballot-glyphs";
  const src = await openSource(from);
  const rand = prng(7);
  const frames: Buffer[] = [];
  const skews = [0.8, -0.5, 1.2];
  for (let n = 1; n <= src.numPages; n++) {
    const page = await src.getPage(n);
    const img = await renderGray(page, 300, skews[n - 1] ?? 0);
    page.cleanup();
    addNoise(img, rand, 12);
    frames.push(toPbm(img, 150));
  }
  await src.destroy();
  const tif = execFileSync(
    "convert",
    ["pbm:-", "-compress", "Group4", "-units", "PixelsPerInch", "-density", "300", "tif:-"],
    { input: Buffer.concat(frames), maxBuffer: 256 * 1024 * 1024 },
  );
  const file = "s7-fax-g4.tif";
  writeFileSync(join(ROOT, "fixtures/scan", file), tif);
  writeExpected(from, file, tif, "s7-fax-g4");
  console.log(`${file}: ${frames.length} frames`);
}

mkdirSync(join(ROOT, "fixtures/expected/scan"), { recursive: true });
for (const v of SCAN_VARIANTS) await makeVariant(v);
await makeTiff();
writeFileSync(
  join(ROOT, "fixtures/scan/VARIANTS.md"),
  `| file | from | dpi | how it was made |\n|---|---|---|---|\n${SCAN_VARIANTS.map(
    (v) => `| \`scan/${v.name}.pdf\` | \`pdf/${v.from}.pdf\` | ${v.dpi} | ${v.note} |`,
  ).join(
    "\n",
  )}\n| \`scan/s7-fax-g4.tif\` | \`pdf/f1-ballot-glyphs.pdf\` | 300 | a 3-frame TIFF, CCITT Group 4 (fax-style), skewed and noised: the image-file input |\n`,
);
