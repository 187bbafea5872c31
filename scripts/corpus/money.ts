import type { Rand } from "./prng.js";

/**
 * Money in integer fen, so sums are exact: the sub-projects add up to 项目当年预算 to the fen.
 * Printed in the formats real forms use and the spec accepts: `4100000`, `4100000.00`,
 * `2,356,000.80`, `4100000元`.
 */

export type MoneyFormat = "plain" | "decimal" | "comma" | "comma-decimal" | "yuan";

export function yuan(fen: number): number {
  return fen / 100;
}

export function formatMoney(fen: number, format: MoneyFormat): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  const commas = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const intPart = format === "comma" || format === "comma-decimal" ? commas(whole) : String(whole);
  const showCents = cents !== 0 || format === "decimal" || format === "comma-decimal";
  const s = showCents ? `${intPart}.${String(cents).padStart(2, "0")}` : intPart;
  return format === "yuan" ? `${s}元` : s;
}

/** A budget in fen: log-uniform between 50 thousand and 30 million yuan, rounded like real budgets. */
export function budget(r: Rand, precise: boolean): number {
  const y = Math.exp(r.range(Math.log(5e4), Math.log(3e7)));
  const step = precise ? 1 : r.pick([1000, 10000, 100, 5000]);
  const fen = Math.max(step, Math.round(y / step) * step) * 100;
  return precise && r.chance(0.5) ? fen + r.int(1, 99) : fen;
}

/**
 * Splits `total` fen into `n` positive parts, each rounded to `step` yuan except the last, which
 * takes the remainder so the sum is exact. `precise` gives some parts odd yuan and fen.
 */
export function split(r: Rand, total: number, n: number, precise: boolean): number[] {
  if (n <= 1) return [total];
  const weights = Array.from({ length: n }, () => 0.3 + r.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const step = (precise ? 1 : total >= 1e8 ? 1000 : 100) * 100;
  const parts = weights.slice(0, -1).map((w) => {
    let p = Math.max(step, Math.round((total * w) / sum / step) * step);
    if (precise && r.chance(0.4)) p += r.int(1, 99) * (r.chance(0.5) ? 1 : 100);
    return p;
  });
  const rest = total - parts.reduce((a, b) => a + b, 0);
  if (rest <= 0) return split(r, total, n - 1, precise);
  return [...parts, rest];
}

/** A prior-year execution: 85–100% of the prior-year budget, rarely a round number. */
export function executed(r: Rand, prior: number): number {
  if (r.chance(0.2)) return prior;
  return Math.round((prior * r.range(0.85, 0.999)) / 100) * 100 + (r.chance(0.3) ? r.int(1, 99) : 0);
}
