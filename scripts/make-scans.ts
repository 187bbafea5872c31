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
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  concatTransformationMatrix,
  degrees,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
} from "pdf-lib";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type * as UtifTypes from "utif2";

const require = createRequire(import.meta.url);
const { createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
const ROOT = new URL("..", import.meta.url).pathname;
const PDFJS = require.resolve("pdfjs-dist/package.json").replace(/package\.json$/, "");
const UTIF = require("utif2") as typeof UtifTypes;

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

/** A small deterministic PRNG (mulberry32): the same fixture bytes on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-9);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Renders a page at `dpi`, skewed by `skew` degrees about its centre, as 8-bit gray. */
async function renderGray(page: pdfjs.PDFPageProxy, dpi: number, skew: number): Promise<Gray> {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const w = Math.round(viewport.width);
  const h = Math.round(viewport.height);
  const flat = createCanvas(w, h);
  const fctx = flat.getContext("2d");
  fctx.fillStyle = "#ffffff";
  fctx.fillRect(0, 0, w, h);
  await page.render({ canvas: flat as never, canvasContext: fctx as never, viewport }).promise;
  const out = createCanvas(w, h);
  const ctx = out.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, w, h);
  ctx.translate(w / 2, h / 2);
  ctx.rotate((skew * Math.PI) / 180);
  ctx.drawImage(flat, -w / 2, -h / 2);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
  }
  return { width: w, height: h, data };
}

function addNoise(img: Gray, rand: () => number, sigma: number): void {
  for (let i = 0; i < img.data.length; i++) {
    img.data[i] = Math.max(0, Math.min(255, Math.round(img.data[i]! + sigma * gaussian(rand))));
  }
}

/** A photocopy: gray ground, strokes thickened by one pixel, toner specks. */
function photocopy(img: Gray, rand: () => number): void {
  const { width: w, height: h } = img;
  const src = img.data.slice();
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const m = Math.min(src[i]!, src[i - 1]!, src[i + 1]!, src[i - w]!, src[i + w]!);
      img.data[i] = Math.round(40 + (m / 255) * 135);
    }
  }
  for (let k = 0; k < (w * h) / 2500; k++) {
    const x = Math.floor(rand() * (w - 3));
    const y = Math.floor(rand() * (h - 3));
    for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) img.data[(y + dy) * w + x + dx] = 50;
  }
}

/** Dark scanner edges: a ragged black band down the left side and one along the top. */
function scannerEdges(img: Gray, rand: () => number): void {
  const { width: w, height: h } = img;
  const side = Math.round(w * 0.025);
  for (let y = 0; y < h; y++) {
    const edge = side + Math.round(rand() * 6);
    for (let x = 0; x < edge; x++) img.data[y * w + x] = 15 + Math.round(rand() * 20);
  }
  const top = Math.round(h * 0.012);
  for (let y = 0; y < top; y++)
    for (let x = 0; x < w; x++) img.data[y * w + x] = 15 + Math.round(rand() * 20);
}

/** Turns the image 90° counter-clockwise (so turning it clockwise shows it upright). */
function turnCounterClockwise(img: Gray): Gray {
  const { width: w, height: h } = img;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(w - 1 - x) * h + y] = img.data[y * w + x]!;
  return { width: h, height: w, data };
}

function jpeg(img: Gray): Uint8Array {
  const pgm = Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`), img.data]);
  return execFileSync("convert", ["pgm:-", "-quality", "80", "-strip", "jpg:-"], {
    input: pgm,
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Packs to 1 bit per pixel, rows padded to a byte; 1 = white (DeviceGray). */
function bilevel(img: Gray, threshold: number): Uint8Array {
  const stride = Math.ceil(img.width / 8);
  const out = new Uint8Array(stride * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! >= threshold) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** A thresholded page as binary PBM (P4; 1 = black), the format ImageMagick reads fastest. */
function toPbm(img: Gray, threshold: number): Buffer {
  const stride = Math.ceil(img.width / 8);
  const bits = new Uint8Array(stride * img.height);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[y * img.width + x]! < threshold) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  return Buffer.concat([Buffer.from(`P4\n${img.width} ${img.height}\n`), bits]);
}

/** Opens a text fixture with pdf.js (CMaps and fonts from the package) to render its pages. */
function openSource(from: string): Promise<pdfjs.PDFDocumentProxy> {
  return pdfjs.getDocument({
    data: new Uint8Array(readFileSync(join(ROOT, "fixtures/pdf", `${from}.pdf`))),
    cMapUrl: `${PDFJS}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${PDFJS}standard_fonts/`,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
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

/**
 * CCITT Group 4 data for a thresholded page: ImageMagick encodes it into a one-strip TIFF, whose
 * strip is the bare G4 stream a PDF's CCITTFaxDecode filter takes.
 */
function ccittG4(img: Gray, threshold: number): Uint8Array {
  const pbm = toPbm(img, threshold);
  const tif = execFileSync(
    "convert",
    ["pbm:-", "-compress", "Group4", "-define", `tiff:rows-per-strip=${img.height}`, "tif:-"],
    { input: pbm, maxBuffer: 256 * 1024 * 1024 },
  );
  const [ifd] = UTIF.decode(tif);
  const offset = Number((ifd?.t273 as number[] | undefined)?.[0]);
  const length = Number((ifd?.t279 as number[] | undefined)?.[0]);
  if (!ifd || !Number.isFinite(offset) || !Number.isFinite(length))
    throw new Error("no G4 strip in ImageMagick's TIFF");
  return new Uint8Array(tif.subarray(offset, offset + length));
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
    const dict = {
      Type: "XObject",
      Subtype: "Image",
      Width: img.width,
      Height: img.height,
      ColorSpace: "DeviceGray",
    };
    const stream =
      v.encoding === "jpeg"
        ? out.context.stream(jpeg(img), { ...dict, BitsPerComponent: 8, Filter: "DCTDecode" })
        : v.encoding === "ccitt"
          ? out.context.stream(ccittG4(img, 150), {
              ...dict,
              BitsPerComponent: 1,
              Filter: "CCITTFaxDecode",
              DecodeParms: { K: -1, Columns: img.width, Rows: img.height, BlackIs1: false },
            })
          : out.context.flateStream(bilevel(img, 150), { ...dict, BitsPerComponent: 1 });
    const ref = out.context.register(stream);
    const p = out.addPage([w, h]);
    p.node.setXObject(PDFName.of("Scan"), ref);
    p.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(w, 0, 0, h, 0, 0),
      drawObject("Scan"),
      popGraphicsState(),
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
