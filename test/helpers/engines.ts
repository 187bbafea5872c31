/**
 * Enough of npm's semver ranges to check `engines.node` fields: `||` alternatives of
 * space-separated comparators (`>=`, `>`, `<=`, `<`, `=`), `^` and `~` ranges, `x`/`*` wildcards and
 * partial versions (`>= 10.x`, `^13.7`, `4.x`). Prerelease tags do not occur in engines fields.
 */

type Version = [number, number, number];

const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** A partial version: its parts, null for a missing or wildcard part. */
function partial(text: string): Array<number | null> {
  const parts = text.replace(/^v/, "").split(".");
  return [0, 1, 2].map((i) => {
    const p = parts[i];
    return p === undefined || p === "" || /^[x*]$/i.test(p) ? null : Number(p);
  });
}

const floor = (p: Array<number | null>): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];

/** Whether `v` meets one comparator (`>=20.19.0`, `^14`, `4.x`, `*`). */
function meets(v: Version, comparator: string): boolean {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(comparator.trim());
  const op = m?.[1] ?? "";
  const p = partial(m?.[2] ?? "*");
  const low = floor(p);
  if (op === ">=") return cmp(v, low) >= 0;
  if (op === "<=") return cmp(v, low) <= 0;
  if (op === ">") return cmp(v, low) > 0;
  if (op === "<") return cmp(v, low) < 0;
  if (op === "^") {
    if (cmp(v, low) < 0) return false;
    // ^1.2.3: same major; ^0.2.3: same minor; ^0.0.3: that patch.
    if (low[0] > 0 || p[1] === null) return v[0] === low[0];
    if (low[1] > 0 || p[2] === null) return v[0] === 0 && v[1] === low[1];
    return cmp(v, low) === 0;
  }
  if (op === "~") return cmp(v, low) >= 0 && v[0] === low[0] && (p[1] === null || v[1] === low[1]);
  // A bare or `=` version: every given part matches.
  return p.every((x, i) => x === null || x === v[i]);
}

/** Whether version `version` (`20.19.0`) satisfies the range `range`. */
export function satisfies(version: string, range: string): boolean {
  const v = floor(partial(version));
  return range.split("||").some((alt) => {
    const comparators = alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .filter((c) => c !== "");
    return comparators.length === 0 || comparators.every((c) => meets(v, c));
  });
}
