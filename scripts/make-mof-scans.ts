/**
 * Scanned variants of the mof-project text fixtures (fixtures/mof → fixtures/mof-scan): each page
 * rendered by pdf.js and scanned under one of the corpus's named conditions (skew, sensor noise,
 * JPEG, a red seal on aged paper; scripts/corpus/scan-conditions.ts), stored as an image-only PDF.
 * The expected file is the text fixture's golden with the scan's name and hash: a scan shows what
 * the text fixture prints (no mof fixture hides text under a clip).
 * Run after the text fixtures: `tsx scripts/make-mof-scans.ts` (also run by `npm run fixtures`).
 * Needs Debian's imagemagick (gray JPEG) and fonts-noto-cjk (the seal's characters).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONDITIONS, scan } from "./corpus/scan-conditions.js";

const ROOT = new URL("..", import.meta.url).pathname;

export interface MofScanVariant {
  name: string;
  /** The text fixture under fixtures/mof (its golden under fixtures/expected/mof). */
  from: string;
  /** A condition of scripts/corpus/scan-conditions.ts. */
  condition: string;
  note: string;
}

export const MOF_SCAN_VARIANTS: MofScanVariant[] = [
  {
    name: "ms1-gray300-break",
    from: "m2-code-cell-break",
    condition: "gray300",
    note: "300 dpi gray JPEG q75, skewed (±1.5°), sensor noise; 2 pages, the 产出指标/质量指标 spans cross the page break (page 2's rows print their 一级/二级 cells empty); 代码 in its own cell",
  },
  {
    name: "ms2-seal300",
    from: "m1-brackets",
    condition: "colour-seal300",
    note: "300 dpi colour JPEG q75 on aged paper, skewed (±1°), a red official seal over 填报单位 and the first rows; 1 page, 代码 in brackets, 项目属性 延续项目",
  },
  {
    name: "ms3-gray200-flags",
    from: "m3-alone-flags",
    condition: "gray200",
    note: "200 dpi gray JPEG q75, skewed (±1°); 1 page, 主管部门 alone, empty 项目期, funds that do not add up and a 二级 under the wrong 一级 (the flags must survive the scan)",
  },
];

interface Golden {
  source: { file: string; sha256: string };
  form: { implementingUnit?: string };
}

async function makeVariant(v: MofScanVariant): Promise<string> {
  const condition = CONDITIONS.find((c) => c.name === v.condition);
  if (!condition) throw new Error(`no scan condition ${v.condition}`);
  const bytes = new Uint8Array(readFileSync(join(ROOT, "fixtures/mof", `${v.from}.pdf`)));
  const expected = JSON.parse(
    readFileSync(join(ROOT, "fixtures/expected/mof", `${v.from}.json`), "utf8"),
  ) as Array<Golden & { source: { pages: number[] } }>;
  const forms = expected.map((g) => ({
    applicant: g.form.implementingUnit ?? "",
    pages: g.source.pages,
  }));
  const out = await scan(condition, v.name, { bytes, forms, boxes: null });
  const file = `${v.name}.pdf`;
  writeFileSync(join(ROOT, "fixtures/mof-scan", file), out);
  const sha256 = createHash("sha256").update(out).digest("hex");
  for (const form of expected) form.source = { ...form.source, file, sha256 };
  writeFileSync(
    join(ROOT, "fixtures/expected/mof-scan", `${v.name}.json`),
    `${JSON.stringify(expected, null, 2)}\n`,
  );
  const pages = expected.at(-1)?.source.pages.at(-1) ?? 0;
  return `| \`mof-scan/${file}\` | \`mof/${v.from}.pdf\` | ${condition.dpi} | ${pages} | ${v.note} |`;
}

mkdirSync(join(ROOT, "fixtures/mof-scan"), { recursive: true });
mkdirSync(join(ROOT, "fixtures/expected/mof-scan"), { recursive: true });
const rows: string[] = [];
for (const v of MOF_SCAN_VARIANTS) rows.push(await makeVariant(v));
writeFileSync(
  join(ROOT, "fixtures/mof-scan/VARIANTS.md"),
  `Made by \`tsx scripts/make-mof-scans.ts\` (after the text fixtures) from fixtures/mof under the corpus's scan conditions.\n\n| file | from | dpi | pages | how it was made |\n|---|---|---|---|---|\n${rows.join("\n")}\n`,
);
process.stdout.write(`${rows.length} mof scans written\n`);
