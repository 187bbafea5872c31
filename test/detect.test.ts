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
 * detectTemplate: a form is read as the family its title names — a 上海市财政支出项目绩效目标申报表 as
 * sh-perf-2018, a 项目支出绩效目标申报表 as mof-project — and a declaration form of neither family is
 * refused as NOT_A_FORM, never read as a broken form of another, the forms beside it still out.
 */

const SEED = join(ROOT, "fixtures/seed/forms-2018.txt");
const MOF_DUMP = join(ROOT, "fixtures/mof/mof-project-a.txt");
/** A declaration form of a family formex does not know (a department's whole-budget form). */
const OTHER = [
  "部门整体支出绩效目标申报表",
  "",
  "（2018年度）",
  "",
  "部门名称\t某区教育局",
  "年度主要任务\t任务一",
  // A row label both families print too: the rows are a form's, only its title is unknown.
  "备注\t无",
  "",
].join("\n");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "formex-detect-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("detectTemplate", () => {
  it("matches titles: a registered family's, another declaration form's, or none", () => {
    const id = (line: string) => matchTitle(line, TEMPLATES)?.template?.id;
    expect(id("上海市财政支出项目绩效目标申报表（2018年）")).toBe("sh-perf-2018");
    expect(id("项目支出绩效目标申报表")).toBe("mof-project");
    expect(id("2018年度项目支出绩效目标申报表")).toBe("mof-project");
    expect(matchTitle("部门整体支出绩效目标申报表", TEMPLATES)).toEqual({
      template: null,
      title: "部门整体支出绩效目标申报表",
    });
    expect(matchTitle("（2018年度）", TEMPLATES)).toBeNull();
    // OCR with two characters wrong and the year on the line: still the 上海 form, not refused.
    expect(id("上海市财玫支出项目绩效日标申报表(2018年)")).toBe("sh-perf-2018");
    expect(matchTitle("按照市财政局要求，本单位于2018年3月前报送绩效目标申报表", TEMPLATES)).toBeNull();
  });

  it("a mof-project dump is read as mof-project", async () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(["sh-perf-2018", "mof-project"]);
    const result = await readFile(MOF_DUMP);
    expect(result.errors).toEqual([]);
    expect(result.forms.map((f) => f.template)).toEqual(["mof-project"]);
    expect(result.forms[0]!.form.department).toBe("上海市某区教育局");
    expect(result.status).toBe("done");
  });

  it("a text-layer PDF of a mof-project form is read as mof-project, not as a 上海 form", async () => {
    const path = join(dir, "mof-project.pdf");
    writeFileSync(path, await mofProjectPdf());
    const result = await readFile(path);
    expect(result.errors).toEqual([]);
    expect(result.forms.map((f) => [f.template, f.source.pages])).toEqual([["mof-project", [1]]]);
    expect(result.forms[0]!.flags).toEqual([]);
  });

  it("a form of neither family stays NOT_A_FORM, naming its title", async () => {
    const path = join(dir, "other.txt");
    writeFileSync(path, OTHER);
    const result = await readFile(path);
    expect(result.forms).toHaveLength(0);
    expect(result.errors.map((e) => e.code)).toEqual(["NOT_A_FORM"]);
    expect(result.errors[0]!.message).toContain("部门整体支出绩效目标申报表");
    expect(result.status).toBe("failed");
  });

  it("forms of both families and another in one file: each under its own template, the other refused", async () => {
    const alone = await readFile(SEED);
    const mixed = join(dir, "mixed.txt");
    writeFileSync(mixed, `${readFileSync(SEED, "utf8")}\n${OTHER}\n${readFileSync(MOF_DUMP, "utf8")}`);
    const result = await readFile(mixed);
    expect(result.status).toBe("done");
    expect(result.errors.map((e) => e.code)).toEqual(["NOT_A_FORM"]);
    expect(result.forms.map((f) => f.template)).toEqual([
      ...alone.forms.map(() => "sh-perf-2018"),
      "mof-project",
    ]);
    expect(result.forms.slice(0, 4).map((f) => f.form)).toEqual(alone.forms.map((f) => f.form));
    expect(result.forms.slice(0, 4).map((f) => f.flags)).toEqual(alone.forms.map((f) => f.flags));
    expect(result.forms[4]!.form).toEqual((await readFile(MOF_DUMP)).forms[0]!.form);
  });

  it("a mixed folder through formex extract: each form under its own template, the other family's file failed", async () => {
    const folder = mkdtempSync(join(dir, "folder-"));
    copyFileSync(SEED, join(folder, "a-forms-2018.txt"));
    copyFileSync(MOF_DUMP, join(folder, "b-mof-project.txt"));
    copyFileSync(join(ROOT, "fixtures/pdf/f1-acroform.pdf"), join(folder, "c-f1-acroform.pdf"));
    copyFileSync(join(ROOT, "fixtures/mof/m4-bundle-2forms.pdf"), join(folder, "d-mof-bundle.pdf"));
    writeFileSync(join(folder, "e-other.txt"), OTHER);
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
      "b-mof-project.txt mof-project",
      "c-f1-acroform.pdf sh-perf-2018",
      "d-mof-bundle.pdf mof-project",
      "d-mof-bundle.pdf mof-project",
    ]);
    const bundle = forms.filter((f) => f.source.file === "d-mof-bundle.pdf");
    expect(bundle.map((f) => f.source.pages)).toEqual([[1], [2, 3]]);
    expect(stderr).toMatch(/FAILED .*e-other\.txt \[NOT_A_FORM\]/);
    expect(stderr).not.toMatch(/FAILED \S*(a-forms|b-mof|c-f1|d-mof)/);
  });
});
