import { type Block, cellIsEmpty } from "../layout/model.js";
import { editDistance } from "../text/distance.js";
import { labelKey } from "../text/normalize.js";
import type { FormTemplate } from "./template.js";

/**
 * `detectTemplate`: the family a form is read as, picked from its printed title. A form titled
 * like a declaration form of no registered family is refused (NOT_A_FORM), never read as another.
 */

/** Longer lines are text that mentions a form, not a title (titles with their year run ~30). */
const MAX_TITLE_CHARS = 40;
/** How a declaration form's title ends, whatever its family: such a line starts a new form. */
const FORM_TITLE_LIKE = /申报表$/u;
/** A title is a name, not a sentence: a line with a comma or full stop only mentions a form. */
const SENTENCE_MARKS = /[，。；：、,;:]/u;

export interface TitleMatch {
  /** Null: a form's title, but of no registered family. */
  template: FormTemplate | null;
  title: string;
}

/** The line as a form title: a registered family's, another declaration form's, or none. */
export function matchTitle(text: string, templates: readonly FormTemplate[]): TitleMatch | null {
  const key = labelKey(text);
  const known = templates.find((t) => t.titlePattern.test(key));
  if (known) return { template: known, title: key };
  // The year prints in brackets after the title or before it: `（2018年度）`, `2018年度…`.
  const bare = key.replace(/（[^）]*）/gu, "").replace(/^\d{4}年度?/u, "");
  if ([...key].length > MAX_TITLE_CHARS || !FORM_TITLE_LIKE.test(bare) || SENTENCE_MARKS.test(bare))
    return null;
  return { template: templates.find((t) => misread(bare, labelKey(t.title))) ?? null, title: bare };
}

/** A registered title OCR read with a few characters wrong (as snapToKnown allows) is still that title. */
function misread(key: string, title: string): boolean {
  const allowed = Math.floor([...title].length * 0.25);
  return Math.abs([...key].length - [...title].length) <= allowed && editDistance(key, title) <= allowed;
}

/** The first title among a form's blocks (a form starts at its title), or null when none printed. */
export function formTitle(blocks: readonly Block[], templates: readonly FormTemplate[]): TitleMatch | null {
  for (const b of blocks) {
    if (b.kind !== "line") continue;
    const m = matchTitle(b.line.text, templates);
    if (m) return m;
  }
  return null;
}

function printedLabels(t: FormTemplate): ReadonlySet<string> {
  return new Set(t.fields.flatMap((f) => f.printed.map(labelKey)));
}

/** How many of a template's row labels the form's rows print exactly. */
function labelScore(blocks: readonly Block[], t: FormTemplate): number {
  const labels = printedLabels(t);
  const seen = new Set<string>();
  for (const b of blocks) {
    if (b.kind !== "row") continue;
    for (const c of b.row.cells) {
      if (cellIsEmpty(c)) continue;
      const key = labelKey(
        c.lines.map((l) => l.map((it) => (it.kind === "text" ? it.text : "")).join("")).join(""),
      );
      if (labels.has(key)) seen.add(key);
    }
  }
  return seen.size;
}

/**
 * The template to read a form with: the one its title names; for rows before any title (a form
 * whose title page is missing) the one whose row labels they print most. Null: no registered one.
 */
export function detectTemplate(
  blocks: readonly Block[],
  templates: readonly FormTemplate[],
): FormTemplate | null {
  const titled = formTitle(blocks, templates);
  if (titled) return titled.template;
  let best: { t: FormTemplate; score: number } | null = null;
  for (const t of templates) {
    const score = labelScore(blocks, t);
    if (score > 0 && (!best || score > best.score)) best = { t, score };
  }
  return best?.t ?? null;
}
