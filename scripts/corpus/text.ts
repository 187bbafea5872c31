import { TERMINAL } from "../fixtures/cut-text.js";
import {
  ANNUAL_GOAL,
  BASIS_ITEMS,
  DOC_NUMBERS,
  DOC_TITLES,
  NECESSITY,
  OVERALL_GOAL,
  OVERVIEW,
  PLANS,
  REMARKS,
  SAFEGUARDS,
} from "./bank-text.js";
import type { Rand } from "./prng.js";

/** The long free texts of one form, built from the phrase banks with the form's own nouns. */

export interface TextContext {
  r: Rand;
  app: string;
  proj: string;
  subj: string;
  work: string;
  field: string;
  subs: string[];
}

function percent(r: Rand): string {
  return r.chance(0.2) ? `${r.pick(["97.5", "99.2", "85.6", "92.3"])}%` : `${r.pick([80, 85, 90, 95, 98])}%`;
}

export function fill(template: string, c: TextContext): string {
  const { r } = c;
  // Two {sub} slots in one sentence name two different sub-projects.
  const subs = r.sample(c.subs, c.subs.length);
  let nextSub = 0;
  return template.replace(/\{(\w+|区)\}/g, (_, slot: string) => {
    switch (slot) {
      case "app":
        return c.app;
      case "proj":
        return c.proj;
      case "subj":
        return c.subj;
      case "work":
        return c.work;
      case "field":
        return c.field;
      case "sub":
        return subs[nextSub++ % subs.length]!;
      case "doc":
        return citation(c);
      case "num":
        return fill(r.pick(DOC_NUMBERS), c);
      case "n":
        return String(r.pick([12, 36, 48, 120, 260, 500, 1200, 3600, 8000, 15000]));
      case "k":
        return String(r.int(2, 60));
      case "day":
        return String(r.pick([5, 10, 15, 20, 25]));
      case "yrs":
        return String(r.int(8, 20));
      case "pct":
        return percent(r);
      case "wan":
        return r.chance(0.5) ? String(r.int(2, 40)) : (r.int(12, 95) / 10).toString();
      case "prev":
        return "2017";
      case "year":
        return "2018";
      default:
        return `{${slot}}`;
    }
  });
}

/** A document title, usually with its number in brackets: `《…》（沪府发〔2016〕12号）`. */
export function citation(c: TextContext): string {
  const title = fill(c.r.pick(DOC_TITLES), c);
  return c.r.chance(0.55) ? `${title}（${fill(c.r.pick(DOC_NUMBERS), c)}）` : title;
}

/** Numbering of list items: `1、`, `（一）`, `(1)`, or none. */
const CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
type Numbering = "arabic" | "chinese" | "paren" | "none";
function marker(style: Numbering, i: number): string {
  if (style === "arabic") return `${i + 1}、`;
  if (style === "chinese") return `（${CN[i] ?? i + 1}）`;
  if (style === "paren") return `(${i + 1})`;
  return "";
}

/**
 * Sentences from a bank until the text reaches `length` characters (or the bank runs out).
 * Items end with `。` (sentences) or are joined with `；` (phrases, `phrases: true`).
 */
function compose(
  c: TextContext,
  bank: readonly string[],
  length: number,
  numbering: Numbering,
  phrases: boolean,
  ordered = false,
  more: readonly string[] = [],
): string {
  // An ordered bank (a plan) keeps its order: a random subset, in bank order, from the start.
  // A long text that runs through its bank goes on with sentences of a related one (`more`).
  const order = ordered
    ? bank.filter((_, i) => i < 2 || c.r.chance(0.6))
    : [...c.r.sample(bank, bank.length), ...c.r.sample(more, more.length)];
  const items: string[] = [];
  let total = 0;
  for (const t of order) {
    if (total >= length && items.length > 0) break;
    const s = fill(t, c);
    items.push(s);
    total += [...s].length;
  }
  const spaced = c.r.chance(0.3) && numbering !== "none";
  const parts = items.map((s, i) => {
    const body = phrases ? s.replace(/[。；]$/, "") : s;
    // A list may end without `。`, but only a short one: a long text stopping without it reads as cut.
    const end = phrases ? (i === items.length - 1 ? (total < 36 && c.r.chance(0.3) ? "" : "。") : "；") : "";
    return `${spaced && i > 0 ? " " : ""}${marker(numbering, i)}${body}${end}`;
  });
  return parts.join("");
}

export type LongField =
  | "overview"
  | "basis"
  | "necessity"
  | "safeguards"
  | "implementationPlan"
  | "overallGoal"
  | "annualGoal";

/** One long text cell's content, about `length` characters. */
export function longText(c: TextContext, field: LongField, length: number): string {
  const { r } = c;
  const numbering = r.weighted<Numbering>([
    ["arabic", 5],
    ["chinese", 2],
    ["paren", 1],
    ["none", 3],
  ]);
  switch (field) {
    case "overview":
      return compose(c, OVERVIEW, length, "none", false, false, NECESSITY);
    case "basis": {
      const prefix = r.chance(0.45) ? "依据：" : "";
      if (r.chance(0.3)) {
        const [a, b] = distinct(() => citation(c));
        return `${prefix}根据${a}和${b}的有关要求，结合${c.app}工作实际，设立本项目。`;
      }
      return prefix + compose(c, BASIS_ITEMS, length, numbering === "none" ? "arabic" : numbering, true);
    }
    case "necessity": {
      const prefix = r.chance(0.45) ? "必要性：" : "";
      return (
        prefix + compose(c, NECESSITY, length, r.chance(0.4) ? "arabic" : "none", false, false, OVERVIEW)
      );
    }
    case "safeguards":
      return compose(c, SAFEGUARDS, length, numbering, false);
    case "implementationPlan":
      return compose(c, r.pick(PLANS), length, numbering === "none" ? "arabic" : numbering, true, true);
    case "overallGoal":
      return compose(c, OVERALL_GOAL, length, "none", false, false, OVERVIEW);
    case "annualGoal":
      return compose(c, ANNUAL_GOAL, length, numbering === "none" ? "arabic" : numbering, true);
  }
}

/** Two different draws (two citations that are not the same document). */
function distinct(draw: () => string): [string, string] {
  const a = draw();
  for (let i = 0; i < 20; i++) {
    const b = draw();
    if (b.replace(/（.*$/, "") !== a.replace(/（.*$/, "")) return [a, b];
  }
  return [a, `《${a.replace(/^《|》.*$/g, "")}实施细则》`];
}

export function remarks(c: TextContext): string {
  return c.r.chance(0.7) ? "" : fill(c.r.pick(REMARKS), c);
}

/**
 * A text the source system already cut (as in the seed): it stops mid-sentence, somewhere past
 * 60% of its length, never right after a sentence end.
 */
export function cutInSource(r: Rand, text: string): string {
  const chars = [...text];
  if (chars.length < 30) return text;
  let at = r.int(Math.floor(chars.length * 0.6), chars.length - 2);
  while (at > 1 && (TERMINAL.includes(chars[at - 1]!) || chars[at - 1] === " ")) at--;
  return chars.slice(0, at).join("");
}
