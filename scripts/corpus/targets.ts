import type { IndicatorDef } from "./bank-types.js";
import type { Rand } from "./prng.js";

/**
 * 指标目标值 of every printed shape, each with the `parsed` value the spec's rules give it. The
 * generator knows what it wrote: the operator word, the number and the measure word, so the truth
 * never comes from parsing text. Spec rules: `≥ 不少于 不低于 以上 至少` → `>=`; `≤ 不超过 不高于 以内
 * 以下` → `<=`; `>`, `<`; no operator → `=`; `&&` joins a range; the unit is the measure word right
 * after the number with its 万/亿 prefix; a bare number has unit null; qualitative → null.
 */

export type Parsed =
  | { op: "=" | ">=" | "<=" | ">" | "<"; value: number; unit: string | null }
  | { op: "between"; min: number; max: number; unit: string | null }
  | null;

export interface Target {
  text: string;
  parsed: Parsed;
  /** The shape's name, for the corpus index (`ge-symbol`, `range`, `qual` …). */
  shape: string;
}

type Op = "=" | ">=" | "<=" | ">" | "<";
/** Operator spellings: before the number, or after the unit. */
const GE_PREFIX: Array<[string, string]> = [
  ["≥", "ge-symbol"],
  ["不少于", "ge-bushaoyu"],
  ["不低于", "ge-budiyu"],
  ["至少", "ge-zhishao"],
];
const LE_PREFIX: Array<[string, string]> = [
  ["≤", "le-symbol"],
  ["不超过", "le-buchaoguo"],
  ["不高于", "le-bugaoyu"],
];

function simple(prefix: string, num: string, unit: string, suffix: string, op: Op, shape: string): Target {
  return {
    text: `${prefix}${num}${unit}${suffix}`,
    parsed: { op, value: Number(num), unit: unit || null },
    shape,
  };
}

/** A round number in [lo, hi]: two significant digits, or one decimal for small 万-counts. */
export function niceNumber(r: Rand, lo: number, hi: number, decimals = false): string {
  const x = lo + (hi - lo) * r.next() ** 1.6;
  if (decimals && x < 20 && r.chance(0.6)) return (Math.round(x * 10) / 10).toString();
  const mag = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(x, 1))) - 1);
  return String(Math.max(1, Math.round(x / mag) * mag));
}

/** A bound written with one of the operators of `op`'s direction. */
function bounded(r: Rand, num: string, unit: string, dir: "ge" | "le"): Target {
  const useSuffix = r.chance(dir === "le" ? 0.4 : 0.3);
  if (useSuffix) {
    const [suffix, shape] =
      dir === "ge"
        ? (["以上", "ge-yishang"] as const)
        : r.pick([
            ["以内", "le-yinei"],
            ["以下", "le-yixia"],
          ] as const);
    return simple("", num, unit, suffix, dir === "ge" ? ">=" : "<=", shape);
  }
  const [prefix, shape] = r.pick(dir === "ge" ? GE_PREFIX : LE_PREFIX);
  // The symbols are the common case.
  const [p, s] = r.chance(0.45) ? [dir === "ge" ? "≥" : "≤", `${dir}-symbol`] : [prefix, shape];
  return simple(p, num, unit, "", dir === "ge" ? ">=" : "<=", s);
}

const HIGH_RATES = [80, 85, 88, 90, 92, 95, 96, 98, 99, 100];
const DECIMAL_RATES = ["97.5", "99.5", "92.5", "98.5", "99.9", "95.5"];
const LOW_RATES = ["0.5", "1", "2", "3", "5", "0.1", "0.3", "1.5", "0.2"];

function rate(r: Rand): Target {
  const v = String(r.pick(HIGH_RATES));
  const ge = v === "100" ? "95" : v;
  return r.weighted<() => Target>([
    [() => simple("≥", ge, "%", "", ">=", "ge-symbol"), 30],
    [() => simple("", v, "%", "", "=", "eq-percent"), 26],
    [() => bounded(r, ge, "%", "ge"), 16],
    [() => simple("≥", r.pick(DECIMAL_RATES), "%", "", ">=", "ge-decimal"), 8],
    [() => simple(">", ge, "%", "", ">", "gt-symbol"), 4],
    [() => simple("=", "100", "%", "", "=", "eq-sign"), 3],
    [() => range(r, ge === "95" ? "90" : ge, "100", "%"), 3],
  ])();
}

function lowRate(r: Rand): Target {
  const v = r.pick(LOW_RATES);
  return r.weighted<() => Target>([
    [() => simple("≤", v, "%", "", "<=", "le-symbol"), 30],
    [() => simple("<", v, "%", "", "<", "lt-symbol"), 10],
    [() => bounded(r, v, "%", "le"), 36],
    [() => simple("≤", r.pick(["1", "2", "5"]), "‰", "", "<=", "le-permille"), 4],
    [() => simple("", "0", "%", "", "=", "zero"), 3],
  ])();
}

function range(r: Rand, a: string, b: string, unit: string): Target {
  let [lo, hi] = Number(a) <= Number(b) ? [a, b] : [b, a];
  if (lo === hi) hi = String(Number(lo) < 1 ? Number(lo) + 1 : Number(lo) * 2);
  const u2 = r.chance(0.8) ? unit : "";
  return {
    text: `≥${lo}${unit}&&≤${hi}${u2}`,
    parsed: { op: "between", min: Number(lo), max: Number(hi), unit: unit || null },
    shape: "range",
  };
}

/** 15000 人次 → `1.5万人次`: the 万 becomes part of the unit. */
function inWan(num: string, unit: string): [string, string] | null {
  const n = Number(num);
  if (unit.startsWith("万") || unit.startsWith("亿") || unit === "%" || n < 10000 || n % 1000 !== 0)
    return null;
  return [String(n / 10000), `万${unit}`];
}

function count(r: Rand, d: IndicatorDef): Target {
  const decimals = d.unit.startsWith("万") || d.unit.startsWith("亿");
  const num = niceNumber(r, d.lo, d.hi, decimals);
  const wan = inWan(num, d.unit);
  const options: Array<[() => Target, number]> = [
    [() => simple("≥", num, d.unit, "", ">=", "ge-symbol"), 22],
    [() => simple("", num, d.unit, "", "=", "eq-unit"), 18],
    [() => bounded(r, num, d.unit, "ge"), 22],
    [() => simple(">", num, d.unit, "", ">", "gt-symbol"), 3],
    [() => simple("", num, "", "", "=", "bare-number"), d.unit === "%" || decimals ? 0 : 7],
    [() => range(r, num, niceNumber(r, Number(num), Number(num) * 1.6 + 1), d.unit), 5],
  ];
  if (d.before) options.push([() => simple(d.before, num, d.unit, "", "=", "context-before"), 40]);
  if (d.after)
    options.push([
      () => ({ ...simple("", num, d.unit, "", "=", "context-after"), text: `${num}${d.unit}${d.after}` }),
      40,
    ]);
  if (wan) {
    options.push([() => simple("≥", wan[0], wan[1], "", ">=", "ge-wan"), 10]);
    options.push([() => simple("", wan[0], wan[1], "以上", ">=", "wan-yishang"), 5]);
  }
  if (decimals) options.push([() => simple("≥", num, d.unit, "", ">=", "ge-wan"), 8]);
  return r.weighted(options)();
}

function cap(r: Rand, d: IndicatorDef): Target {
  const num = niceNumber(r, d.lo, d.hi, d.unit.startsWith("万"));
  return r.weighted<() => Target>([
    [() => simple("≤", num, d.unit, "", "<=", "le-symbol"), 35],
    [() => bounded(r, num, d.unit, "le"), 45],
    [() => simple("<", num, d.unit, "", "<", "lt-symbol"), 12],
    [() => simple("", num, d.unit, "", "=", "eq-unit"), 8],
  ])();
}

function zero(r: Rand, d: IndicatorDef): Target {
  return r.weighted<() => Target>([
    [() => simple("", "0", d.unit, "", "=", "zero"), 50],
    [() => simple("", "0", "", "", "=", "bare-number"), 12],
    [() => ({ text: r.pick(["无", "零事故", "未发生", "杜绝"]), parsed: null, shape: "qual" }), 15],
  ])();
}

function money(r: Rand, d: IndicatorDef): Target {
  const num = niceNumber(r, d.lo, d.hi, true);
  const options: Array<[() => Target, number]> = [
    [() => simple("≥", num, d.unit, "", ">=", "ge-wan"), 30],
    [() => simple("", num, d.unit, "", "=", "eq-unit"), 25],
    [() => bounded(r, num, d.unit, "ge"), 25],
  ];
  if (d.before) options.push([() => simple(d.before, num, d.unit, "", "=", "context-before"), 40]);
  return r.weighted(options)();
}

/** A target for an indicator row; qualitative kinds draw on `quals`. */
export function makeTarget(r: Rand, d: IndicatorDef, quals: readonly string[], longQual: string): Target {
  switch (d.kind) {
    case "rate":
      return rate(r);
    case "lowrate":
      return lowRate(r);
    case "count":
      return count(r, d);
    case "cap":
    case "time":
      return cap(r, d);
    case "zero":
      return zero(r, d);
    case "money":
      return money(r, d);
    default:
      return d.kind === "qual" || longQual === ""
        ? { text: r.pick(quals), parsed: null, shape: "qual" }
        : { text: longQual, parsed: null, shape: "qual-long" };
  }
}
