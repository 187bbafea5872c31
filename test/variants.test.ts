import { readFileSync } from "node:fs";
import { join } from "node:path";
import { degrees, PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { withPdf } from "../src/pdf/open.js";
import { renderPage } from "../src/pdf/render.js";
import type { Extraction } from "../src/schema.js";
import { extractBytes } from "./helpers/extract.js";
import type { ExpectedForm } from "./helpers/golden.js";

/** Layout variants another producer may print, read into the same form. */

const FIXTURES = join(import.meta.dirname, "../fixtures");
const SEED = readFileSync(join(FIXTURES, "seed/forms-2018.txt"), "utf8");
const FORM1 = SEED.slice(0, SEED.indexOf("上海市财政支出项目绩效目标申报表", 10));
const EXPECTED1 = JSON.parse(
  readFileSync(join(FIXTURES, "expected/seed/form-1.json"), "utf8"),
) as ExpectedForm;

async function readDump(text: string): Promise<Extraction> {
  const { forms } = await extractBytes(new TextEncoder().encode(text), "variant.txt");
  expect(forms).toHaveLength(1);
  return forms[0]!;
}
const codes = (x: Extraction) => x.flags.map((f) => f.code);

describe("layout variants", () => {
  it("the year printed on the title line", async () => {
    const x = await readDump(
      FORM1.replace("上海市财政支出项目绩效目标申报表", "上海市财政支出项目绩效目标申报表（2018年）").replace(
        "(2018年)",
        "",
      ),
    );
    expect(x.form.year).toBe(2018);
    expect(codes(x)).not.toContain("MISSING_FIELD");
  });

  it("the year printed as （2018年度）", async () => {
    const x = await readDump(FORM1.replace("(2018年)", "（2018年度）"));
    expect(x.form.year).toBe(2018);
  });

  it("no year at all is a missing field, not a guess", async () => {
    const x = await readDump(FORM1.replace("(2018年)", ""));
    expect(x.form.year).toBeNull();
    expect(x.flags.map((f) => `${f.code}@${f.field}`)).toContain("MISSING_FIELD@form.year");
  });

  it("the applicant as the table's first row", async () => {
    const x = await readDump(
      FORM1.replace("申报单位名称：上海市科学技术协会", "申报单位名称\t上海市科学技术协会\t\t"),
    );
    expect(x.form.applicant).toBe("上海市科学技术协会");
    expect(codes(x)).not.toContain("UNKNOWN_LABEL");
  });

  it("pages rotated with /Rotate 90 read the same", async () => {
    const doc = await PDFDocument.load(readFileSync(join(FIXTURES, "pdf/f1-ballot-glyphs.pdf")));
    for (const page of doc.getPages()) page.setRotation(degrees(90));
    const { forms } = await extractBytes(await doc.save(), "rotated.pdf");
    expect(forms).toHaveLength(1);
    expect(forms[0]!.form).toEqual(EXPECTED1.form);
    expect(forms[0]!.flags.map((f) => f.code).sort()).toEqual(EXPECTED1.flags.map((f) => f.code).sort());
    // The review page renders it with the same turn, so field boxes land on the image.
    const rendered = await withPdf(await doc.save(), "rotated.pdf", (pdf) => renderPage(pdf, 1, 1));
    expect(rendered.height).toBeGreaterThan(rendered.width);
    const box = forms[0]!.fields["form.overview"]!.bbox!;
    expect(box[3]).toBeLessThan(rendered.height);
    expect(box[2] - box[0]).toBeGreaterThan(box[3] - box[1]);
  });
});
