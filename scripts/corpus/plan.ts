import type { HtmlOptions } from "../fixtures/html.js";
import type { Style } from "../fixtures/layout.js";
import type { CjkFont } from "../fixtures/pdf-writer.js";
import { type Defect, DOMAINS } from "./generate.js";
import { Rand, seedOf } from "./prng.js";
import type { Producer } from "./producers.js";

/**
 * The committed corpus: which forms each file holds, who printed it and how. Fixed here (ids,
 * producers, planted defects); the per-file style is drawn from the id, so the plan is stable.
 */

export interface PlannedForm {
  /** Generator seed of the form (`c007`, `b02-3`). */
  seed: string;
  defects: Defect[];
  /** Its domain of spending (the corpus spreads them evenly). */
  domain: string;
}

export interface CorpusFile {
  id: string;
  producer: Producer;
  forms: PlannedForm[];
  /** The applicant all of a bundle's forms share (a department's merged submission). */
  bundle: string | null;
  style: Style | null;
  font: CjkFont | null;
  html: HtmlOptions | null;
}

const SINGLES = 46;
const BUNDLES: Array<[string, Producer, number]> = [
  ["b01", "pdf-lib", 4],
  ["b02", "chromium", 3],
  ["b03", "pdf-lib", 6],
  ["b04", "libreoffice", 5],
];
/** Planted errors (by form seed); every other form is clean. */
const DEFECTS: Record<string, Defect[]> = {
  c003: ["sum-off"],
  c008: ["checkbox-multiple"],
  c012: ["date-order"],
  c015: ["current-exceeds-total"],
  c019: ["checkbox-multiple"],
  c022: ["executed-exceeds-prior"],
  c026: ["date-outside-year"],
  c029: ["missing-text"],
  c031: ["checkbox-none"],
  c034: ["sum-off", "date-order"],
  c038: ["checkbox-multiple"],
  c041: ["date-outside-year"],
  c044: ["missing-target"],
  "b01-2": ["sum-off"],
  "b03-4": ["checkbox-multiple"],
  "b04-3": ["date-order"],
};

function pdfLibStyle(r: Rand): { style: Style; font: CjkFont } {
  const long = ["overview", "basis", "necessity", "safeguards", "implementationPlan", "overallGoal"];
  const trunc = r.weighted<"none" | "drop" | "clip">([
    ["none", 6],
    ["drop", 3],
    ["clip", 1],
  ]);
  const style: Style = {
    checkbox: r.weighted<Style["checkbox"]>([
      ["ballot", 3],
      ["square", 2],
      ["square-tick", 2],
      ["vector", 3],
      ["acroform", 1],
    ]),
    boxBeforeLabel: r.chance(0.35),
    truncate: trunc === "none" ? null : { maxLines: r.int(3, 6), mode: trunc },
    splitText: r.chance(0.12) ? { field: r.pick(long), afterLines: 2 } : null,
    spanLabel: r.pick(["first", "last", "every"] as const),
    halfWidth: false,
    footer: r.chance(0.4),
    fontSize: r.weighted<number>([
      [9, 4],
      [10, 3],
      [10.5, 3],
    ]),
  };
  const font = r.weighted<CjkFont>([
    ["embedded", 10],
    ["uming", 5],
    ["ukai", 2],
    ["stsong", 3],
  ]);
  return { style, font };
}

function htmlStyle(r: Rand, producer: Producer): HtmlOptions {
  const fonts =
    producer === "chromium"
      ? ["Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Serif CJK SC"]
      : ["AR PL UMing CN", "AR PL UMing CN", "AR PL UKai CN", "Noto Serif CJK SC"];
  return {
    font: r.pick(fonts),
    fontSize: r.pick(["9pt", "9pt", "10pt", "10.5pt"]),
    checkbox:
      producer === "chromium"
        ? r.pick(["input", "input", "ballot", "square"] as const)
        : r.pick(["ballot", "square"] as const),
    boxBefore: r.chance(0.35),
  };
}

function file(id: string, producer: Producer, forms: PlannedForm[], bundle: string | null): CorpusFile {
  const r = new Rand(seedOf("corpus-style", id));
  const lib = producer === "pdf-lib" ? pdfLibStyle(r) : null;
  return {
    id,
    producer,
    forms,
    bundle,
    style: lib?.style ?? null,
    font: lib?.font ?? null,
    html: producer === "pdf-lib" ? null : htmlStyle(r, producer),
  };
}

export function corpusPlan(): CorpusFile[] {
  const out: CorpusFile[] = [];
  // Every domain about as often, in an order that does not follow the producers' cycle.
  const domains = new Rand(seedOf("corpus-domains")).sample(
    DOMAINS.map((d) => d.key),
    DOMAINS.length,
  );
  // Of every 23 single files: 14 by pdf-lib, 5 by Chromium, 4 by LibreOffice, interleaved.
  const cycle: Producer[] = "LLCLOLLCLLOLCLLOLCLLOLC"
    .split("")
    .map((c) => (c === "L" ? "pdf-lib" : c === "C" ? "chromium" : "libreoffice"));
  for (let i = 1; i <= SINGLES; i++) {
    const id = `c${String(i).padStart(3, "0")}`;
    const domain = domains[(i - 1) % domains.length]!;
    out.push(
      file(id, cycle[(i - 1) % cycle.length]!, [{ seed: id, defects: DEFECTS[id] ?? [], domain }], null),
    );
  }
  for (const [b, [id, producer, n]] of BUNDLES.entries()) {
    const domain = domains[(SINGLES + b) % domains.length]!;
    const forms = Array.from({ length: n }, (_, k) => `${id}-${k + 1}`).map((seed) => ({
      seed,
      defects: DEFECTS[seed] ?? [],
      domain,
    }));
    out.push(file(id, producer, forms, id));
  }
  return out;
}
