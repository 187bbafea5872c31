import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractionSchema } from "../src/schema.js";
import { matchTitle } from "../src/templates/detect.js";
import { TEMPLATES } from "../src/templates/registry.js";
import { ROOT, runCli } from "./helpers/cli.js";
import { readFile } from "./helpers/extract.js";
import { mofProjectPdf } from "./helpers/mof-pdf.js";

/**
 * detectTemplate: a form is read as the family its title names; a 项目支出绩效目标申报表 (the
 * mof-project family) is refused as NOT_A_FORM while only sh-perf-2018 is registered, never read
 * as a broken 上海 form, and the 上海 forms beside it still come out.
 */

const SEED = join(ROOT, "fixtures/seed/forms-2018.txt");
const MOF_DUMP = join(ROOT, "fixtures/mof/mof-project-a.txt");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "formex-detect-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("detectTemplate", () => {
  it("matches titles: a registered family's, another declaration form's, or none", () => {
    expect(matchTitle("上海市财政支出项目绩效目标申报表（2018年）", TEMPLATES)?.template?.id).toBe(
      "sh-perf-2018",
    );
    expect(matchTitle("项目支出绩效目标申报表", TEMPLATES)).toEqual({
      template: null,
      title: "项目支出绩效目标申报表",
    });
    expect(matchTitle("2018年度项目支出绩效目标申报表", TEMPLATES)?.template).toBeNull();
    expect(matchTitle("（2018年度）", TEMPLATES)).toBeNull();
    // OCR with two characters wrong and the year on the line: still the 上海 form, not refused.
    expect(matchTitle("上海市财玫支出项目绩效日标申报表(2018年)", TEMPLATES)?.template?.id).toBe(
      "sh-perf-2018",
    );
    expect(matchTitle("按照市财政局要求，本单位于2018年3月前报送绩效目标申报表", TEMPLATES)).toBeNull();
  });

  it("a mof-project form is NOT_A_FORM while only sh-perf-2018 is registered", async () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(["sh-perf-2018"]);
    const result = await readFile(MOF_DUMP);
    expect(result.forms).toHaveLength(0);
    expect(result.errors.map((e) => e.code)).toEqual(["NOT_A_FORM"]);
    expect(result.errors[0]!.message).toContain("项目支出绩效目标申报表");
    expect(result.status).toBe("failed");
  });

  it("a text-layer PDF of a mof-project form is NOT_A_FORM, its page named, not a broken 上海 form", async () => {
    const path = join(dir, "mof-project.pdf");
    writeFileSync(path, await mofProjectPdf());
    const result = await readFile(path);
    expect(result.forms).toHaveLength(0);
    expect(result.errors.map((e) => [e.code, e.page])).toEqual([["NOT_A_FORM", 1]]);
    expect(result.status).toBe("failed");
  });

  it("a mof-project form after 上海 forms in one file neither joins the last one nor hides them", async () => {
    const alone = await readFile(SEED);
    const mixed = join(dir, "mixed.txt");
    writeFileSync(mixed, `${readFileSync(SEED, "utf8")}\n${readFileSync(MOF_DUMP, "utf8")}`);
    const result = await readFile(mixed);
    expect(result.status).toBe("done");
    expect(result.errors.map((e) => e.code)).toEqual(["NOT_A_FORM"]);
    expect(result.forms.map((f) => f.form)).toEqual(alone.forms.map((f) => f.form));
    expect(result.forms.map((f) => f.flags)).toEqual(alone.forms.map((f) => f.flags));
  });

  it("a mixed folder through formex extract: the 上海 forms out, the mof-project file failed", async () => {
    const folder = mkdtempSync(join(dir, "folder-"));
    copyFileSync(SEED, join(folder, "a-forms-2018.txt"));
    copyFileSync(MOF_DUMP, join(folder, "b-mof-project.txt"));
    copyFileSync(join(ROOT, "fixtures/pdf/f1-acroform.pdf"), join(folder, "c-f1-acroform.pdf"));
    writeFileSync(join(folder, "d-mof-project.pdf"), await mofProjectPdf());
    const { code, stdout, stderr } = await runCli([
      "extract",
      folder,
      "--jsonl",
      "--no-store",
      "--no-progress",
    ]);
    expect(code).toBe(1);
    const forms = stdout
      .trim()
      .split("\n")
      .map((l) => ExtractionSchema.parse(JSON.parse(l)));
    const files = forms.map((f) => `${f.source.file} ${f.template}`).sort();
    expect(files).toEqual([
      ...Array.from({ length: 4 }, () => "a-forms-2018.txt sh-perf-2018"),
      "c-f1-acroform.pdf sh-perf-2018",
    ]);
    expect(stderr).toMatch(/FAILED .*b-mof-project\.txt \[NOT_A_FORM\]/);
    expect(stderr).toMatch(/FAILED .*d-mof-project\.pdf p\.1 \[NOT_A_FORM\]/);
  });
});
