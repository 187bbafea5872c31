import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { ROOT } from "./cli.js";

/** The bad-input test set, shared by the batch test and the queue/in-process parity test. */

export const GOOD_PDF = join(ROOT, "fixtures/pdf/f1-ballot-glyphs.pdf");

/** Writes two good files and six bad ones (each failing with its own code) to `dir`; returns their names. */
export async function writeBadInputs(dir: string): Promise<string[]> {
  copyFileSync(GOOD_PDF, join(dir, "a-good.pdf"));
  copyFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), join(dir, "b-good-dump.txt"));
  writeFileSync(join(dir, "not-a-pdf.pdf"), "This is a Word document, honestly.\n");
  copyFileSync(join(ROOT, "fixtures/bad/encrypted.pdf"), join(dir, "encrypted.pdf"));
  const bytes = readFileSync(GOOD_PDF);
  writeFileSync(join(dir, "truncated.pdf"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  writeFileSync(join(dir, "zero-pages.pdf"), await (await PDFDocument.create()).save());
  const other = await PDFDocument.create();
  const font = await other.embedFont(StandardFonts.Helvetica);
  other.addPage().drawText("Quarterly report: nothing to declare.", { x: 50, y: 700, size: 14, font });
  writeFileSync(join(dir, "other-form.pdf"), await other.save());
  writeFileSync(join(dir, "binary.dat.txt"), Buffer.from([0, 1, 2, 3, 255, 254, 0, 0]));
  return [
    "a-good.pdf",
    "b-good-dump.txt",
    "not-a-pdf.pdf",
    "encrypted.pdf",
    "truncated.pdf",
    "zero-pages.pdf",
    "other-form.pdf",
    "binary.dat.txt",
  ];
}

/** A PDF from its objects' bodies, with a correct xref (for files pdf-lib will not write). */
export function rawPdf(objects: string[]): Buffer {
  let pdf = "%PDF-1.7\n";
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

/** Two page-tree nodes that are each other's kid: pdf.js says "circular reference". */
export const pageTreeCycle = (): Buffer =>
  rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
  ]);
