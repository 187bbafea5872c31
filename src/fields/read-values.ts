import { type Flag, makeFlag } from "../flags.js";
import type { Cell } from "../layout/model.js";
import type { Thresholds } from "../options.js";
import type { Provenance } from "../schema.js";
import type { MoneyUnit } from "../templates/template.js";
import { TRUNCATION } from "../templates/vocabulary.js";
import { parseMoney, parseMoneyIn } from "../values/money.js";
import { provenanceOf, type RawValue, rawText } from "./raw.js";

/** The state normalization shares across a form's fields: provenance, flags, and the text reader. */

function endsMidSentence(text: string): boolean {
  const last = text.trim().at(-1);
  return last !== undefined && !TRUNCATION.terminalChars.includes(last);
}

/**
 * A cell was cut off: it stops mid-sentence and is long enough that it ran into the cell's capacity.
 * Cell geometry cannot tell: most producers size rows to their text, so every cell looks "full".
 */
export function looksCutOff(text: string, minLength: number): boolean {
  return endsMidSentence(text) && [...text].length >= minLength;
}

export class ValueReader {
  readonly flags: Flag[];
  readonly fields: Record<string, Provenance> = {};

  /** `longPaths`: the long free texts' output paths, read once, with their own confidence bar. */
  constructor(
    flags: readonly Flag[],
    private readonly thresholds: Thresholds,
    private readonly longPaths: ReadonlySet<string>,
  ) {
    this.flags = [...flags];
  }

  flag(code: Flag["code"], path: string | null, message: string): void {
    this.flags.push(makeFlag(code, path, message));
  }

  record(path: string, cells: readonly Cell[]): void {
    const p = provenanceOf(cells);
    if (!p) return;
    this.fields[path] = p;
    const { minConfidence, minTextConfidence } = this.thresholds;
    // A long text is read once: its bar is the calibrated one for a single reading.
    const threshold = this.longPaths.has(path) ? minTextConfidence : minConfidence;
    if (p.source === "ocr" && p.confidence < threshold) {
      this.flag(
        "LOW_CONFIDENCE",
        path,
        `OCR confidence ${p.confidence.toFixed(3)} is under ${threshold}: check the value against the page`,
      );
    }
  }

  /** Reads a text value (at output path `form.<path>`), recovering clipped text and flagging cut-off cells. */
  text(path: string, value: RawValue | undefined, long: boolean, minLength: number): string | null {
    if (!value || value.cells.length === 0) return null;
    const at = `form.${path}`;
    this.record(at, value.cells);
    const visible = rawText(value);
    const hidden = rawText({ ...value, lines: [...value.lines, ...value.hiddenLines] });
    const text = value.hiddenLines.length > 0 ? hidden : visible;
    if (value.hiddenLines.length > 0) {
      this.flag(
        "RECOVERED_CLIPPED_TEXT",
        at,
        `${[...hidden].length - [...visible].length} characters hidden by the cell's clip were recovered`,
      );
    }
    if (long && looksCutOff(text, minLength))
      this.flag("TRUNCATED_TEXT", at, `text stops mid-sentence: "…${text.slice(-12)}"`);
    return text === "" ? null : text;
  }
}

/** An amount printed in `unit`, in yuan (万元 × 10000, to the fen). */
export function moneyIn(text: string, unit: MoneyUnit): number | null {
  return unit === "元" ? parseMoney(text) : parseMoneyIn(text, unit);
}
