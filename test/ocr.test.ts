import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
} from "pdf-lib";
import type * as UtifTypes from "utif2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPdf } from "../src/pdf/open.js";
import { pageImage } from "../src/pdf/page-image.js";
import type { FileSummary } from "../src/run/batch.js";
import { as2018, type Extraction, ExtractionSchema } from "../src/schema.js";
import { ROOT } from "./helpers/cli.js";
import { readFile, readFolderFiles } from "./helpers/extract.js";
import type { ExpectedForm } from "./helpers/golden.js";
import { DATE_AND_MONEY_FIELDS, scoreOcr } from "./helpers/ocr-metrics.js";

/**
 * Issue 3's acceptance thresholds on the scanned fixtures (fixtures/scan, made by
 * scripts/make-scans.ts from the text fixtures): checkbox states 100% right; money, dates and
 * year 100% at 300 dpi and at least 98% at 200 dpi 1-bit; long-text character error rate at most
 * 2% (edit distance over expected length, whitespace ignored); every sub-project and indicator
 * row recovered. These numbers are the issue's; they are not to be loosened to pass.
 */

// The canvas pdf.js uses, loaded the way pdf.js loads it (one instance of the native module).
const require = createRequire(import.meta.url);
const { createCanvas, ImageData } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
const UTIF = require("utif2") as typeof UtifTypes;

const SCAN_DIR = join(ROOT, "fixtures/scan");
/** Scanned PDFs, and a multi-page CCITT G4 TIFF (scans also arrive as image files). */
const scans = readdirSync(SCAN_DIR)
  .filter((f) => /\.(pdf|tif)$/.test(f))
  .sort();
const DPI: Record<string, number> = {};
for (const f of scans) DPI[f] = /200/.test(f) ? 200 : 300;

const MAX_CER = 0.02;
const NUMBERS_AT_200_DPI = 0.98;

let forms = new Map<string, Extraction[]>();
let summaries = new Map<string, FileSummary>();

const expectedFor = (file: string) =>
  JSON.parse(
    readFileSync(join(ROOT, "fixtures/expected/scan", file.replace(/\.(pdf|tif)$/, ".json")), "utf8"),
  ) as ExpectedForm[];

beforeAll(async () => {
  ({ forms, summaries } = await readFolderFiles(SCAN_DIR, scans));
}, 300_000);

describe("scanned fixtures: issue 3's thresholds", () => {
  it("has the scanned variants the issue names (300 dpi gray, 200 dpi 1-bit, a turned page, a photocopy)", () => {
    expect(scans.length).toBeGreaterThanOrEqual(4);
    expect(scans.some((f) => DPI[f] === 200)).toBe(true);
  });

  it("every scan is read without a file error, one schema-valid form each, on the expected pages", () => {
    for (const f of scans) {
      expect(summaries.get(f)?.errors, f).toEqual([]);
      const got = forms.get(f) ?? [];
      const want = expectedFor(f);
      expect(got.length, f).toBe(want.length);
      got.forEach((form, i) => {
        expect(ExtractionSchema.safeParse(form).success, f).toBe(true);
        expect(form.source.pages, f).toEqual(want[i]!.source.pages);
        expect(
          Object.values(form.fields).every((p) => p.source === "ocr"),
          f,
        ).toBe(true);
      });
    }
  });

  it("checkbox states: 100% right", () => {
    for (const f of scans) {
      const s = scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!);
      expect(s.checkboxes.right, f).toBe(s.checkboxes.total);
    }
  });

  it("money, dates and year: 100% at 300 dpi, at least 98% at 200 dpi 1-bit", () => {
    let right200 = 0;
    let total200 = 0;
    for (const f of scans) {
      const s = scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!);
      if (DPI[f] === 300) expect(s.numbers.wrong, f).toEqual([]);
      else {
        right200 += s.numbers.right;
        total200 += s.numbers.total;
      }
    }
    expect(total200).toBeGreaterThan(0);
    expect(right200 / total200).toBeGreaterThanOrEqual(NUMBERS_AT_200_DPI);
  });

  it("long-text character error rate at most 2% on every scan", () => {
    const rates = scans.map(
      (f) => [f, scoreOcr(forms.get(f)![0]!, expectedFor(f)[0]!).longText.cer] as const,
    );
    for (const [f, cer] of rates)
      expect(cer, `${f}: CER ${(cer * 100).toFixed(2)}%`).toBeLessThanOrEqual(MAX_CER);
  });

  it("text cut off on paper is flagged TRUNCATED_TEXT, field for field (clipped text cannot come back from a scan)", () => {
    const cut = (flags: ReadonlyArray<{ code: string; field: string | null }>) =>
      flags
        .filter((f) => f.code === "TRUNCATED_TEXT")
        .map((f) => f.field)
        .sort();
    for (const f of scans) {
      const form = forms.get(f)![0]!;
      expect(cut(form.flags), f).toEqual(cut(expectedFor(f)[0]!.flags));
      expect(
        form.flags.some((x) => x.code === "RECOVERED_CLIPPED_TEXT"),
        f,
      ).toBe(false);
    }
  });

  it("every sub-project and indicator row recovered, with its category", () => {
    for (const f of scans) {
      const got = as2018(forms.get(f)![0]!).form;
      const want = expectedFor(f)[0]!.form;
      expect(got.subProjects.length, f).toBe(want.subProjects.length);
      expect(
        got.indicators.map((i) => i.category),
        f,
      ).toEqual(want.indicators.map((i) => i.category));
    }
  });

  it("no wrong number goes unflagged: a misread amount or date carries a flag on its field", () => {
    for (const f of scans) {
      const form = forms.get(f)![0]!;
      const want = expectedFor(f)[0]!.form;
      const flagged = new Set(form.flags.filter((x) => x.severity !== "info").map((x) => x.field));
      const check = (path: string, got: unknown, expected: unknown) => {
        if (got !== expected)
          expect(flagged.has(path), `${f} ${path}: ${String(got)} is wrong and unflagged`).toBe(true);
      };
      for (const key of DATE_AND_MONEY_FIELDS) check(`form.${key}`, form.form[key], want[key]);
      want.subProjects.forEach((sp, i) => {
        check(`form.subProjects[${i}].amount`, as2018(form).form.subProjects[i]?.amount, sp.amount);
      });
    }
  });

  it("field boxes land on the printed cells, on turned and skewed pages too (IoU >= 0.5)", () => {
    const iou = (a: readonly number[], b: readonly number[]) => {
      const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
      const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
      const area = (r: readonly number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
      return (ix * iy) / (area(a) + area(b) - ix * iy);
    };
    for (const f of scans) {
      const form = forms.get(f)![0]!;
      const want = expectedFor(f)[0]!.fields!;
      for (const path of [
        "form.projectName",
        "form.projectType",
        "form.totalBudget",
        "form.implementationPlan",
        "form.remarks",
      ]) {
        const w = want[path];
        const g = form.fields[path];
        if (!w?.bbox) continue;
        expect(g?.page, `${f} ${path}`).toBe(w.page);
        expect(
          iou(g!.bbox!, w.bbox),
          `${f} ${path} ${JSON.stringify(g?.bbox)} vs ${JSON.stringify(w.bbox)}`,
        ).toBeGreaterThanOrEqual(0.5);
      }
    }
  });
});

describe("scans in other shapes", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "formex-ocr-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const read = async (path: string) => {
    const result = await readFile(path);
    return { forms: result.forms, summary: result };
  };

  /** Page 1 of the 300 dpi scan as pixels, for image files. */
  const firstPage = async () => {
    const { image } = await withPdf(readFileSync(join(SCAN_DIR, "s1-gray300-skew.pdf")), "s1", (doc) =>
      pageImage(doc, 1),
    );
    return image;
  };

  it("PNG, JPEG and TIFF files are read like a scanned page: the first page's fields come out", async () => {
    const image = await firstPage();
    const rgba = new Uint8ClampedArray(image.width * image.height * 4);
    for (let i = 0; i < image.data.length; i++)
      rgba.set([image.data[i]!, image.data[i]!, image.data[i]!, 255], i * 4);
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext("2d").putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
    writeFileSync(join(dir, "page1.png"), canvas.toBuffer("image/png"));
    writeFileSync(join(dir, "page1.jpg"), canvas.toBuffer("image/jpeg", 90));
    writeFileSync(
      join(dir, "page1.tif"),
      Buffer.from(UTIF.encodeImage(new Uint8Array(rgba.buffer), image.width, image.height)),
    );
    const want = expectedFor("s1-gray300-skew.pdf")[0]!.form;
    for (const name of ["page1.png", "page1.jpg", "page1.tif"]) {
      const { forms: got, summary } = await read(join(dir, name));
      expect(summary.errors, name).toEqual([]);
      expect(got.length, name).toBe(1);
      const f = got[0]!.form;
      expect([f.year, f.applicant, f.projectName], name).toEqual([
        want.year,
        want.applicant,
        want.projectName,
      ]);
      expect([f.projectType, f.fundUse], name).toEqual([want.projectType, want.fundUse]);
      expect([f.startDate, f.endDate, f.totalBudget, f.currentYearBudget], name).toEqual([
        want.startDate,
        want.endDate,
        want.totalBudget,
        want.currentYearBudget,
      ]);
    }
  });

  it("a PDF mixing text-layer pages and a scanned page is read page by page into one form", async () => {
    const text = await PDFDocument.load(readFileSync(join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf")));
    const scan = await PDFDocument.load(readFileSync(join(SCAN_DIR, "s1-gray300-skew.pdf")));
    const mixed = await PDFDocument.create();
    for (const p of await mixed.copyPages(text, [0, 1])) mixed.addPage(p);
    for (const p of await mixed.copyPages(scan, [2])) mixed.addPage(p);
    writeFileSync(join(dir, "mixed.pdf"), await mixed.save());
    const { forms: got, summary } = await read(join(dir, "mixed.pdf"));
    expect(summary.errors).toEqual([]);
    expect(got.length).toBe(1);
    const want = expectedFor("s1-gray300-skew.pdf")[0]!.form;
    const form = got[0]!;
    expect(as2018(form).form.indicators.map((i) => [i.category, i.name])).toEqual(
      want.indicators.map((i) => [i.category, i.name]),
    );
    expect(form.fields["form.projectName"]?.source).toBe("text");
    expect(form.fields["form.indicators[8].name"]?.source).toBe("ocr");
  });

  it("an unreadable scanned page is named with its page; the form still comes out, flagged for what it held", async () => {
    const scan = await PDFDocument.load(readFileSync(join(SCAN_DIR, "s1-gray300-skew.pdf")));
    const out = await PDFDocument.create();
    const [p1] = await out.copyPages(scan, [0]);
    out.addPage(p1!);
    // Page 2: a scan whose JPEG data is garbage.
    const junk = out.context.stream(randomBytes(40_000), {
      Type: "XObject",
      Subtype: "Image",
      Width: 2480,
      Height: 3508,
      ColorSpace: "DeviceGray",
      BitsPerComponent: 8,
      Filter: "DCTDecode",
    });
    const page = out.addPage([595.28, 841.89]);
    page.node.setXObject(PDFName.of("Scan"), out.context.register(junk));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(595.28, 0, 0, 841.89, 0, 0),
      drawObject("Scan"),
      popGraphicsState(),
    );
    const [p3] = await out.copyPages(scan, [2]);
    out.addPage(p3!);
    writeFileSync(join(dir, "unreadable.pdf"), await out.save());
    const { forms: got, summary } = await read(join(dir, "unreadable.pdf"));
    expect(summary.errors.map((e) => [e.code, e.page])).toEqual([["OCR_FAILED", 2]]);
    expect(got.length).toBe(1);
    const flagged = got[0]!.flags.filter((f) => f.code === "MISSING_FIELD").map((f) => f.field);
    expect(flagged).toEqual(expect.arrayContaining(["form.implementationPlan", "form.annualGoal"]));
    expect(got[0]!.form.projectName).toBe(expectedFor("s1-gray300-skew.pdf")[0]!.form.projectName);
  });
});
