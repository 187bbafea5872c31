import { MEASURE_WORDS } from "../templates/vocabulary.js";
import { normalizeCompatIdeographs, toHalfWidth } from "../text/normalize.js";

export type TargetOp = "=" | ">=" | "<=" | ">" | "<";
export type ParsedTarget =
  | { op: TargetOp; value: number; unit: string | null }
  | { op: "between"; min: number; max: number; unit: string | null };

const MEASURES = [...new Set<string>(MEASURE_WORDS)].sort((a, b) => b.length - a.length);

const PREFIX_OPS: ReadonlyArray<[string, TargetOp]> = [
  [">=", ">="],
  ["≥", ">="],
  ["≧", ">="],
  ["不少于", ">="],
  ["不低于", ">="],
  ["至少", ">="],
  ["大于等于", ">="],
  ["<=", "<="],
  ["≤", "<="],
  ["≦", "<="],
  ["不超过", "<="],
  ["不高于", "<="],
  ["不多于", "<="],
  ["小于等于", "<="],
  [">", ">"],
  ["大于", ">"],
  ["超过", ">"],
  ["高于", ">"],
  ["<", "<"],
  ["小于", "<"],
  ["低于", "<"],
];
const SUFFIX_OPS: ReadonlyArray<[string, TargetOp]> = [
  ["以上", ">="],
  ["以内", "<="],
  ["以下", "<="],
];

/** The measure word right after a number: optional 万/亿, a measure word, optional 次. */
function readUnit(after: string): string | null {
  let rest = after.trimStart();
  let unit = "";
  if (rest.startsWith("万") || rest.startsWith("亿")) {
    unit = rest[0] ?? "";
    rest = rest.slice(1);
  }
  const measure = MEASURES.find((w) => rest.startsWith(w));
  if (measure) {
    unit += measure;
    rest = rest.slice(measure.length);
    if (!measure.endsWith("次") && measure !== "%" && rest.startsWith("次")) unit += "次";
  }
  return unit === "" ? null : unit;
}

function parseSimple(text: string): { op: TargetOp; value: number; unit: string | null } | null {
  const m = /(\d+(?:\.\d+)?)/u.exec(text);
  if (!m || m.index === undefined) return null;
  const before = text.slice(0, m.index);
  const after = text.slice(m.index + m[0].length);
  let op: TargetOp = "=";
  // The operator word closest to the number decides (`活动不少于20次`).
  let bestAt = -1;
  for (const [word, o] of PREFIX_OPS) {
    const at = before.lastIndexOf(word);
    if (at >= 0 && at + word.length > bestAt) {
      bestAt = at + word.length;
      op = o;
    }
  }
  if (op === "=") {
    for (const [word, o] of SUFFIX_OPS) if (after.includes(word)) op = o;
  }
  return { op, value: Number(m[1]), unit: readUnit(after) };
}

/** Reads a 指标目标值 per the spec; qualitative targets (`良好`) give null. */
export function parseTarget(raw: string): ParsedTarget | null {
  const text = toHalfWidth(normalizeCompatIdeographs(raw)).replace(/\s+/g, "");
  // `&&` joins a range; one `&` does too when its sides are a lower and an upper bound (a
  // scan's `&&` read as one, or a producer that printed one).
  const join = text.includes("&&") ? "&&" : text.includes("&") ? "&" : null;
  if (join) {
    const [left, right] = text.split(join, 2) as [string, string];
    const a = parseSimple(left);
    const b = parseSimple(right);
    const lower = (t: ParsedTarget) => t.op === ">=" || t.op === ">";
    const upper = (t: ParsedTarget) => t.op === "<=" || t.op === "<";
    const bounds = a && b && ((lower(a) && upper(b)) || (upper(a) && lower(b)));
    if (a && b && (join === "&&" || bounds)) {
      const [lo, hi] = lower(a) ? [a, b] : [b, a];
      return { op: "between", min: lo.value, max: hi.value, unit: lo.unit ?? hi.unit };
    }
  }
  return parseSimple(text);
}
