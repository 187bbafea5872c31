import { zhOf } from "../codes.js";
import { actionableFlags, DEFAULT_REVIEW_POLICY, type Flag, type ReviewPolicy } from "../flags.js";
import type { Extraction } from "../schema.js";
import { templateById } from "../templates/registry.js";
import { type FormTemplate, pathOf, valueAt } from "../templates/template.js";
import { fieldBlocks, fieldLabel, type Input, inputAt, tableBlocks } from "./field-views.js";
import { flagCells } from "./flag-cells.js";
import { esc } from "./html.js";

/**
 * The parts of the form page that change when the form does: the flags to walk (data for the
 * flag panel, which the page's script fills with textContent), the flag list and the field cards
 * with their flags and confidence (escaped HTML). A save answers with these, so the page updates
 * in place, keeping the reviewer's place and comment.
 */

type Where = { path: string; page: number | null; bbox: readonly number[] | null };

export interface FlagItem {
  code: string;
  severity: string;
  field: string | null;
  /** The field's printed label (项目总预算（元）), the flag's Chinese explanation. */
  label: string;
  zh: string;
  /** The extractor's English message: shown only under the panel's collapsed 技术信息. */
  detail: string;
  /** The value a reviewer edits for this flag (the first of its cells that has one) and its input. */
  editPath: string | null;
  input: Input | null;
  confidence: number | null;
  /** Every cell the flag concerns, with where it was read (outlined on the page image). */
  cells: Where[];
  /** A table the flag concerns: a missed row can be added to it. */
  table: string | null;
}

const where = (x: Extraction, path: string): Where => {
  const p = x.fields[path];
  return { path, page: p?.page ?? null, bbox: p?.bbox ?? null };
};

function tableOf(t: FormTemplate, cells: readonly string[]): string | null {
  for (const c of cells) {
    const key = /^form\.(\w+(?:\.\w+)*?)(?:\[\d+\].*)?$/.exec(c)?.[1];
    const f = t.fields.find((x) => pathOf(x) === key && x.kind.kind === "table");
    if (f) return pathOf(f);
  }
  return null;
}

function flagItem(x: Extraction, t: FormTemplate, f: Flag): FlagItem {
  const cells = flagCells(t, x.form, f);
  const editPath = cells.find((c) => inputAt(t, x.form, c) !== null) ?? null;
  const own = editPath ?? f.field;
  return {
    code: f.code,
    severity: f.severity,
    field: f.field,
    label: fieldLabel(t, f.field),
    zh: zhOf(f.code),
    detail: f.message,
    editPath,
    input: editPath ? inputAt(t, x.form, editPath) : null,
    confidence: own ? (x.fields[own]?.confidence ?? null) : null,
    cells: cells.map((c) => where(x, c)),
    table: tableOf(t, cells),
  };
}

const chip = (f: { code: string; severity: string }) =>
  `<span class="chip ${esc(f.severity)}">${esc(zhOf(f.code as Flag["code"]))}</span>`;

/** A card's flags and, when below 1, the confidence its value was read with. */
function marksOf(x: Extraction) {
  return (path: string) => {
    const flags = x.flags.filter((f) => f.field === path);
    const c = x.fields[path]?.confidence;
    const conf = c !== undefined && c < 1 ? ` <small class="conf">置信度 ${c.toFixed(2)}</small>` : "";
    return flags.length || conf ? `<div class="marks">${flags.map(chip).join("")}${conf}</div>` : "";
  };
}

function addRowHtml(t: FormTemplate, table: string): string {
  const f = t.fields.find((x) => pathOf(x) === table);
  if (f?.kind.kind !== "table") return "";
  const cells = f.kind.columns.map((c) => {
    const values = c.column.role === "level" ? c.column.values : null;
    const input = values
      ? `<select data-col="${esc(c.key)}">${["", ...values].map((v) => `<option value="${esc(v)}">${esc(v || "（无）")}</option>`).join("")}</select>`
      : `<input type="text" data-col="${esc(c.key)}" placeholder="${esc(c.header)}">`;
    return `<label style="font-weight:normal">${esc(c.header)} ${input}</label>`;
  });
  return `<div class="field addrow" data-table="${esc(table)}"><label>添加一行（${esc(f.review)}）</label>${cells.join(" ")}
<div><button type="button" data-add-row>添加 <kbd>Enter</kbd></button> <span class="msg" aria-live="polite"></span></div></div>`;
}

/**
 * One flag in the list: the hover says in Chinese what is wrong and where; the extractor's
 * English message is kept only as data-detail (for support, never shown as the hover).
 */
function flagLi(t: FormTemplate, f: Flag, attrs: string): string {
  const label = fieldLabel(t, f.field);
  const hover = `${zhOf(f.code)}（${label}）`;
  return `<li${attrs} data-flag-field="${esc(f.field ?? "")}" data-detail="${esc(f.message)}" data-code="${esc(f.code)}">${chip(f)} ${esc(label)} <small title="${esc(hover)}">${esc(f.code)}</small></li>`;
}

export interface FormView {
  flags: FlagItem[];
  flagList: string;
  fields: string;
  /** Where each value was read (rows added or deleted move them). */
  where: Extraction["fields"];
}

export function formView(x: Extraction, policy: ReviewPolicy = DEFAULT_REVIEW_POLICY): FormView {
  const t = templateById(x.template);
  const walk = actionableFlags(x.flags, policy);
  const flagList = walk.map((f, i) => flagLi(t, f, ` data-flag="${i}"`)).join("");
  // What sends nothing to review (TRUNCATED_TEXT: the paper cut the text) is listed, not walked.
  const walked = new Set(walk);
  const others = x.flags
    .filter((f) => !walked.has(f))
    .map((f) => flagLi(t, f, ' class="other"'))
    .join("");
  const marks = marksOf(x);
  const tables = t.fields
    .filter((f) => f.kind.kind === "table")
    .map((f) => {
      const del = (i: number) =>
        `<div class="rowend"><button type="button" data-delete-row data-table="${esc(pathOf(f))}" data-index="${i}">删除第 ${i + 1} 行</button> <span class="msg" aria-live="polite"></span></div>`;
      return `<h3>${esc(f.review)}</h3>${tableBlocks(f, valueAt(x.form, pathOf(f)), marks, del)}${addRowHtml(t, pathOf(f))}`;
    })
    .join("");
  return {
    flags: walk.map((f) => flagItem(x, t, f)),
    flagList: flagList + others,
    fields: `${fieldBlocks(t, x.form, marks)}${tables}`,
    where: x.fields,
  };
}
