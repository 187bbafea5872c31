import { type Flag, makeFlag } from "../flags.js";
import type { Cell } from "../layout/model.js";
import type { Thresholds } from "../options.js";
import type { Form, Indicator, Provenance, SubProject } from "../schema.js";
import {
  CHECKBOX_OPTIONS,
  LONG_TEXT_FIELDS,
  TEXT_FIELDS,
  type TextFieldKey,
} from "../templates/derive-2018.js";
import { type FormTemplate, optionalFields } from "../templates/template.js";
import { TRUNCATION } from "../templates/vocabulary.js";
import { parseDate, parseYear } from "../values/date.js";
import { parseMoney } from "../values/money.js";
import { parseTarget } from "../values/target.js";
import { readCheckboxGroup } from "./checkbox.js";
import { provenanceOf, type RawForm, type RawValue, rawText } from "./recover.js";

/** Normalization: raw cell values -> the typed form, its provenance, and the reading flags. */

export interface BuiltForm {
  form: Form;
  fields: Record<string, Provenance>;
  flags: Flag[];
}

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

/** The long free texts' output paths: they are read once and have their own confidence bar. */
const LONG_TEXT_PATHS = new Set([...LONG_TEXT_FIELDS].map((k) => `form.${k}`));

/** `thresholds`: the run's OCR confidence bars, passed in so the environment cannot change the flags. */
export function buildForm(raw: RawForm, thresholds: Thresholds, template: FormTemplate): BuiltForm {
  const optional = optionalFields(template);
  const flags: Flag[] = [...raw.flags];
  const fields: Record<string, Provenance> = {};
  const { minConfidence, minTextConfidence } = thresholds;
  const record = (path: string, cells: readonly Cell[]) => {
    const p = provenanceOf(cells);
    if (!p) return;
    fields[path] = p;
    // A long text is read once: its bar is the calibrated one for a single reading.
    const threshold = LONG_TEXT_PATHS.has(path) ? minTextConfidence : minConfidence;
    if (p.source === "ocr" && p.confidence < threshold) {
      flags.push(
        makeFlag(
          "LOW_CONFIDENCE",
          path,
          `OCR confidence ${p.confidence.toFixed(3)} is under ${threshold}: check the value against the page`,
        ),
      );
    }
  };
  // An optional field may be printed empty, but its row is on every form: a row not found is flagged.
  const missing = (key: string, label: string, found = true) => {
    if (!optional.has(key))
      flags.push(makeFlag("MISSING_FIELD", `form.${key}`, `${label} is empty or was not found`));
    else if (!found) flags.push(makeFlag("MISSING_FIELD", `form.${key}`, `${label}: its row was not found`));
  };

  // Reads a text value, recovering clipped text and flagging cut-off cells.
  const readText = (
    key: string,
    value: RawValue | undefined,
    long: boolean,
    minLength: number,
  ): string | null => {
    if (!value || value.cells.length === 0) return null;
    record(`form.${key}`, value.cells);
    const visible = rawText(value);
    const hidden = rawText({ ...value, lines: [...value.lines, ...value.hiddenLines] });
    const text = value.hiddenLines.length > 0 ? hidden : visible;
    if (value.hiddenLines.length > 0) {
      flags.push(
        makeFlag(
          "RECOVERED_CLIPPED_TEXT",
          `form.${key}`,
          `${[...hidden].length - [...visible].length} characters hidden by the cell's clip were recovered`,
        ),
      );
    }
    if (long && looksCutOff(text, minLength)) {
      flags.push(makeFlag("TRUNCATED_TEXT", `form.${key}`, `text stops mid-sentence: "…${text.slice(-12)}"`));
    }
    return text === "" ? null : text;
  };

  const year = raw.year ? parseYear(rawText(raw.year)) : null;
  if (raw.year) record("form.year", raw.year.cells);
  if (raw.year && year === null) {
    flags.push(makeFlag("UNPARSEABLE_VALUE", "form.year", `year "${rawText(raw.year)}" cannot be read`));
  } else if (!raw.year) missing("year", "the form's year");

  const applicant = readText("applicant", raw.applicant ?? undefined, false, 0);
  if (!applicant) missing("applicant", "申报单位名称");

  const text = {} as Record<TextFieldKey, string | null>;
  for (const key of TEXT_FIELDS) {
    text[key] = readText(key, raw.text[key], LONG_TEXT_FIELDS.has(key), TRUNCATION.minTextLength);
    if (!text[key]) missing(key, key, raw.text[key] !== undefined);
  }

  const readMoney = (key: keyof RawForm["money"]): number | null => {
    const value = raw.money[key];
    const s = rawText(value);
    if (!value || s === "") {
      missing(key, key, value !== undefined);
      if (value?.cells.length) record(`form.${key}`, value.cells);
      return null;
    }
    record(`form.${key}`, value.cells);
    const n = parseMoney(s);
    if (n === null)
      flags.push(makeFlag("UNPARSEABLE_VALUE", `form.${key}`, `"${s}" is not an amount in yuan`));
    return n;
  };
  const readDate = (key: "startDate" | "endDate"): string | null => {
    const value = raw.dates[key];
    const s = rawText(value);
    if (!value || s === "") {
      missing(key, key);
      return null;
    }
    record(`form.${key}`, value.cells);
    const d = parseDate(s);
    if (d === null) flags.push(makeFlag("UNPARSEABLE_VALUE", `form.${key}`, `"${s}" is not a date`));
    return d;
  };

  const checkbox = (key: "projectType" | "fundUse"): string[] => {
    const group = raw.checkboxes[key];
    if (!group) {
      missing(key, key);
      return [];
    }
    record(`form.${key}`, group.cells);
    return readCheckboxGroup(group.items, CHECKBOX_OPTIONS[key]).checked;
  };

  const subProjects: SubProject[] = raw.subProjects.map((sp, i) => {
    const name = rawText(sp.name);
    const amountText = rawText(sp.amount);
    record(`form.subProjects[${i}].name`, sp.name.cells);
    record(`form.subProjects[${i}].amount`, sp.amount.cells);
    const amount = amountText === "" ? null : parseMoney(amountText);
    if (name === "")
      flags.push(makeFlag("MISSING_FIELD", `form.subProjects[${i}].name`, "sub-project name is empty"));
    if (amountText === "")
      flags.push(makeFlag("MISSING_FIELD", `form.subProjects[${i}].amount`, "sub-project amount is empty"));
    else if (amount === null)
      flags.push(
        makeFlag("UNPARSEABLE_VALUE", `form.subProjects[${i}].amount`, `"${amountText}" is not an amount`),
      );
    return { name, amount };
  });
  if (subProjects.length === 0) missing("subProjects", "项目当年投入资金构成");

  const indicators: Indicator[] = raw.indicators.map((ind, i) => {
    const name = rawText(ind.name);
    record(`form.indicators[${i}].name`, ind.name.cells);
    const target = readText(`indicators[${i}].target`, ind.target, true, TRUNCATION.minTargetLength) ?? "";
    if (target === "")
      flags.push(
        makeFlag("MISSING_FIELD", `form.indicators[${i}].target`, `indicator "${name}" has no target`),
      );
    const parsed = target === "" ? null : parseTarget(target);
    if (parsed?.op === "between" && parsed.min > parsed.max) {
      flags.push(
        makeFlag(
          "TARGET_RANGE_INVALID",
          `form.indicators[${i}].target`,
          `range ${parsed.min} > ${parsed.max}`,
        ),
      );
    }
    // Every indicator row sits under a category; none seen above it means the category cell was lost.
    if (ind.category === null)
      flags.push(
        makeFlag("MISSING_FIELD", `form.indicators[${i}].category`, `indicator "${name}" has no category`),
      );
    return { category: ind.category, name, target, parsed };
  });
  if (indicators.length === 0) missing("indicators", "分解目标");

  const form: Form = {
    year,
    applicant,
    projectName: text.projectName,
    projectType: checkbox("projectType"),
    fundUse: checkbox("fundUse"),
    startDate: readDate("startDate"),
    endDate: readDate("endDate"),
    overview: text.overview,
    basis: text.basis,
    necessity: text.necessity,
    safeguards: text.safeguards,
    totalBudget: readMoney("totalBudget"),
    currentYearBudget: readMoney("currentYearBudget"),
    priorYearBudget: readMoney("priorYearBudget"),
    priorYearExecuted: readMoney("priorYearExecuted"),
    subProjects,
    implementationPlan: text.implementationPlan,
    overallGoal: text.overallGoal,
    annualGoal: text.annualGoal,
    indicators,
    remarks: text.remarks ?? "",
  };
  return { form, fields, flags };
}
