import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDump } from "../src/dump/parse.js";
import { formFromBlocks, splitForms } from "../src/forms.js";
import type { Block, Cell } from "../src/layout/model.js";
import { DEFAULT_OPTIONS } from "../src/options.js";
import { as2018 } from "../src/schema.js";
import { TEMPLATES } from "../src/templates/registry.js";
import { SH_PERF_2018 } from "../src/templates/sh-perf-2018.js";

/** Field recovery on rows a scan can produce: names that read as something else. */

const ROOT = join(import.meta.dirname, "..");
const SEED = readFileSync(join(ROOT, "fixtures/seed/forms-2018.txt"), "utf8");
const FORM1 = SEED.slice(0, SEED.indexOf("上海市财政支出项目绩效目标申报表", 10));
const source = { file: "seed.txt", sha256: "0".repeat(64) };

const textOf = (c: Cell) =>
  c.lines
    .flat()
    .flatMap((i) => (i.kind === "text" ? [i.text] : []))
    .join("");

describe("field recovery", () => {
  it("an indicator named like a form label (开始时间) stays a row of its table", () => {
    const [form] = splitForms(parseDump(FORM1), TEMPLATES);
    const blocks = form!;
    const plain = as2018(formFromBlocks(blocks, SH_PERF_2018, source, 1, DEFAULT_OPTIONS.ocr)).form;
    // The fourth indicator (评估完成率): its label column is covered by 产出目标's span.
    const names = plain.indicators.map((i) => i.name);
    const target = names[3]!;
    let renamed = 0;
    const changed: Block[] = blocks.map((b) => {
      if (b.kind !== "row") return b;
      const cells = b.row.cells.map((c): Cell => {
        if (c.inLabelColumn || textOf(c) !== target) return c;
        renamed++;
        return { ...c, lines: [[{ kind: "text", text: "开始时间" }]] };
      });
      return { ...b, row: { ...b.row, cells } };
    });
    expect(renamed).toBe(1);
    const got = as2018(formFromBlocks(changed, SH_PERF_2018, source, 1, DEFAULT_OPTIONS.ocr)).form;
    expect(got.indicators.map((i) => i.name)).toEqual(names.map((n, k) => (k === 3 ? "开始时间" : n)));
    expect(got.indicators.map((i) => i.target)).toEqual(plain.indicators.map((i) => i.target));
    expect(got.startDate).toEqual(plain.startDate);
  });
});

describe("rows a scan lost are flagged, not read as printed empty", () => {
  const [form] = splitForms(parseDump(FORM1), TEMPLATES);
  const blocks = form!;
  const flagsOf = (bs: Block[]) => formFromBlocks(bs, SH_PERF_2018, source, 1, DEFAULT_OPTIONS.ocr).flags;
  const rowHas = (b: Block, text: string) =>
    b.kind === "row" && b.row.cells.some((c) => textOf(c).includes(text));

  it("an optional field whose row is missing (同名项目上年预算额) is MISSING_FIELD; printed empty it is not", () => {
    const missing = (bs: Block[]) =>
      flagsOf(bs).filter((f) => f.code === "MISSING_FIELD" && (f.field ?? "").startsWith("form.priorYear"));
    expect(missing(blocks)).toEqual([]);
    const without = blocks.filter((b) => !rowHas(b, "同名项目上年预算"));
    expect(without.length).toBe(blocks.length - 1);
    expect(
      missing(without)
        .map((f) => f.field)
        .sort(),
    ).toEqual(["form.priorYearBudget", "form.priorYearExecuted"]);
  });

  it("indicator rows with no category cell above them are MISSING_FIELD on their category", () => {
    const categoryFlags = (bs: Block[]) => flagsOf(bs).filter((f) => (f.field ?? "").endsWith(".category"));
    expect(categoryFlags(blocks)).toEqual([]);
    let blanked = 0;
    const changed: Block[] = blocks.map((b) => {
      if (b.kind !== "row" || blanked > 0) return b;
      const cells = b.row.cells.map((c): Cell => {
        if (textOf(c) !== "投入和管理目标") return c;
        blanked++;
        return { ...c, lines: [] };
      });
      return { ...b, row: { ...b.row, cells } };
    });
    expect(blanked).toBe(1);
    const got = categoryFlags(changed);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((f) => f.code === "MISSING_FIELD")).toBe(true);
  });

  it("an indicator row beside several label rows (their rules lost) flags the table: rows may be lost", () => {
    const tableFlags = (bs: Block[]) => flagsOf(bs).filter((f) => f.field === "form.indicators");
    expect(tableFlags(blocks)).toEqual([]);
    let marked = 0;
    const merged: Block[] = blocks.map((b) => {
      if (b.kind !== "row" || marked > 0 || !rowHas(b, "投入和管理目标")) return b;
      // As scan-stages' inDoubt marks a value cell that lies beside three category cells.
      const cells = b.row.cells.map((c): Cell => (c.inLabelColumn ? c : { ...c, labelsBeside: 3 }));
      marked++;
      return { ...b, row: { ...b.row, cells } };
    });
    expect(marked).toBe(1);
    const got = tableFlags(merged);
    expect(got.map((f) => f.code)).toEqual(["LOW_CONFIDENCE"]);
    expect(got[0]!.severity).not.toBe("info");
  });
});

describe("a scanned row that lost its label to a missed ruling", () => {
  it("a date's value alone on the next row is in doubt (LOW_CONFIDENCE), not silently the start date", () => {
    const [form] = splitForms(parseDump(FORM1), TEMPLATES);
    const blocks = form!;
    const at = blocks.findIndex((b) => b.kind === "row" && b.row.cells.some((c) => textOf(c) === "开始时间"));
    const row = blocks[at]!;
    if (row.kind !== "row") throw new Error("no 开始时间 row");
    const [label, , , endValue] = row.row.cells;
    expect(textOf(label!)).toBe("开始时间");
    // As on a photographed page: the row's value cells came apart; the end date's is a row of its own.
    const split: Block[] = [
      ...blocks.slice(0, at),
      { kind: "row", row: { ...row.row, cells: [label!] } },
      { kind: "row", row: { ...row.row, cells: [{ ...endValue!, inLabelColumn: false, source: "ocr" }] } },
      ...blocks.slice(at + 1),
    ];
    const got = formFromBlocks(split, SH_PERF_2018, source, 1, DEFAULT_OPTIONS.ocr);
    expect(got.flags.some((f) => f.field === "form.startDate" && f.severity !== "info")).toBe(true);
  });
});

describe("a scanned label alone in its row", () => {
  const [form] = splitForms(parseDump(FORM1), TEMPLATES);
  const blocks = form!;
  const at = blocks.findIndex(
    (b) => b.kind === "row" && b.row.cells.some((c) => textOf(c) === "同名项目上年预算额（元）"),
  );
  const row = blocks[at];
  const flagsOn = (bs: Block[]) =>
    formFromBlocks(bs, SH_PERF_2018, source, 1, DEFAULT_OPTIONS.ocr).flags.filter(
      (f) => f.field === "form.priorYearBudget",
    );

  it("is LOW_CONFIDENCE when no value cell stands beside it (a photo's value merged into another row's cell)", () => {
    if (row?.kind !== "row") throw new Error("no 同名项目上年预算额 row");
    const label = row.row.cells[0]!;
    const alone = (source: Cell["source"]): Block[] => [
      ...blocks.slice(0, at),
      { kind: "row", row: { ...row.row, cells: [{ ...label, source }] } },
      ...blocks.slice(at + 1),
    ];
    expect(flagsOn(alone("ocr")).map((f) => f.code)).toEqual(["LOW_CONFIDENCE"]);
    // A text layer's label alone is a value printed empty: nothing to doubt.
    expect(flagsOn(alone("text"))).toEqual([]);
    // A scan's empty value cell beside the label: printed empty.
    const empty: Cell = { ...row.row.cells[1]!, lines: [], source: "ocr" };
    const printedEmpty: Block[] = [
      ...blocks.slice(0, at),
      { kind: "row", row: { ...row.row, cells: [{ ...label, source: "ocr" }, empty] } },
      ...blocks.slice(at + 1),
    ];
    expect(flagsOn(printedEmpty)).toEqual([]);
  });
});
