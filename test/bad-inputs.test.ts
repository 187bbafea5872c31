import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, PDFName } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPdf } from "../src/pdf/open.js";
import { renderPage } from "../src/pdf/render.js";
import { ExtractionSchema } from "../src/schema.js";
import { GOOD_PDF, writeBadInputs } from "./helpers/bad-inputs.js";
import { ROOT, runCli } from "./helpers/cli.js";

/** One bad file gets a one-line error with its code; the good files in the same batch still come out. */

let dir: string;
const good = GOOD_PDF;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "formex-bad-"));
  await writeBadInputs(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bad inputs in a batch", () => {
  it("names each bad file with its code and still outputs the good ones", async () => {
    const { code, stdout, stderr } = await runCli(["extract", dir, "--jsonl", "--no-progress"]);
    expect(code).toBe(1);
    const forms = stdout
      .trim()
      .split("\n")
      .map((l) => ExtractionSchema.parse(JSON.parse(l)));
    expect(forms.map((f) => f.source.file).sort()).toEqual([
      "a-good.pdf",
      "b-good-dump.txt",
      "b-good-dump.txt",
      "b-good-dump.txt",
      "b-good-dump.txt",
    ]);
    const failures = stderr.split("\n").filter((l) => l.startsWith("formex: FAILED"));
    const byFile = (name: string) => failures.find((l) => l.includes(`${name} `) || l.endsWith(name));
    expect(byFile("not-a-pdf.pdf")).toContain("[NOT_A_PDF]");
    expect(byFile("encrypted.pdf")).toContain("[ENCRYPTED_PDF]");
    expect(byFile("truncated.pdf")).toContain("[DAMAGED_PDF]");
    expect(byFile("zero-pages.pdf")).toContain("[EMPTY_DOCUMENT]");
    expect(byFile("other-form.pdf")).toContain("[NOT_A_FORM]");
    expect(byFile("binary.dat.txt")).toContain("[UNSUPPORTED_INPUT]");
    expect(failures).toHaveLength(6);
    expect(stderr).toMatch(/8 files, .* 5 forms .* 6 failed/);
  });

  it("a page over its time budget fails with PAGE_TIMEOUT naming the page; the worker is replaced", async () => {
    const slow = await PDFDocument.create();
    slow.addPage([300, 300]);
    const page = slow.addPage([300, 300]);
    const ops: string[] = [];
    for (let i = 0; i < 600_000; i++)
      ops.push(`${i % 300} ${i % 290} m ${(i * 7) % 300} ${(i * 3) % 300} l S`);
    page.node.set(PDFName.of("Contents"), slow.context.register(slow.context.flateStream(ops.join("\n"))));
    const slowDir = mkdtempSync(join(tmpdir(), "formex-slow-"));
    writeFileSync(join(slowDir, "slow.pdf"), await slow.save());
    copyFileSync(good, join(slowDir, "z-good.pdf"));
    try {
      const started = Date.now();
      const { code, stdout, stderr } = await runCli([
        "extract",
        slowDir,
        "--jsonl",
        "--no-progress",
        "--page-timeout",
        "1500",
        "--workers",
        "1",
      ]);
      expect(code).toBe(1);
      expect(stderr).toContain("FAILED");
      expect(stderr).toMatch(/slow\.pdf p\.2 \[PAGE_TIMEOUT\]/);
      // The good file after it was read by a fresh worker.
      expect(
        stdout
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l).source.file),
      ).toEqual(["z-good.pdf"]);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      rmSync(slowDir, { recursive: true, force: true });
    }
  });

  it("with OCR off, scanned pages are named as needing OCR; text pages in the same file still come out", async () => {
    const source = readFileSync(good);
    const png = await withPdf(source, "good.pdf", (pdf) => renderPage(pdf, 1, 2));
    const scan = await PDFDocument.create();
    const image = await scan.embedPng(png.png);
    for (let i = 0; i < 2; i++)
      scan.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    const mixed = await PDFDocument.load(await scan.save());
    const text = await PDFDocument.load(source);
    for (const p of await mixed.copyPages(text, text.getPageIndices())) mixed.addPage(p);
    const scanDir = mkdtempSync(join(tmpdir(), "formex-scan-"));
    writeFileSync(join(scanDir, "scanned.pdf"), await scan.save());
    writeFileSync(join(scanDir, "mixed.pdf"), await mixed.save());
    try {
      const { code, stdout, stderr } = await runCli([
        "extract",
        scanDir,
        "--jsonl",
        "--no-progress",
        "--no-store",
        "--no-ocr",
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/FAILED \S*scanned\.pdf p\.1 \[NEEDS_OCR\] page 1, 2 have no usable text layer/);
      expect(stderr).not.toContain("NOT_A_FORM");
      expect(stderr).toMatch(/FAILED \S*mixed\.pdf p\.1 \[NEEDS_OCR\]/);
      const forms = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { source: { file: string; pages: number[] } });
      expect(forms.map((f) => [f.source.file, f.source.pages])).toEqual([["mixed.pdf", [3, 4, 5]]]);
    } finally {
      rmSync(scanDir, { recursive: true, force: true });
    }
  });

  it("refuses files over --max-mb and PDFs over --max-pages", async () => {
    const { code, stderr } = await runCli([
      "extract",
      join(ROOT, "fixtures/pdf/bundle-4forms.pdf"),
      "--max-pages",
      "5",
      "--no-progress",
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bundle-4forms\.pdf \[INPUT_TOO_LARGE\] 12 pages is over the limit of 5/);
    const big = mkdtempSync(join(tmpdir(), "formex-big-"));
    writeFileSync(
      join(big, "scan.pdf"),
      Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(2 * 1024 * 1024)]),
    );
    try {
      const r = await runCli(["extract", join(big, "scan.pdf"), "--max-mb", "1", "--no-progress"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/scan\.pdf \[INPUT_TOO_LARGE\]/);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it("usage errors exit 2 with help; --help exits 0", async () => {
    expect((await runCli(["extract"])).code).toBe(2);
    expect((await runCli(["frobnicate"])).code).toBe(2);
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("formex extract <files|dirs...>");
  });
});
