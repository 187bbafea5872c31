/** Levenshtein distance over code points (a CJK character counts as one). */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length]!;
}

/** Character error rate of `got` against `want`: edit distance over the expected length, whitespace ignored. */
export function characterErrorRate(got: string, want: string): number {
  const g = got.replace(/\s+/g, "");
  const w = want.replace(/\s+/g, "");
  return w.length === 0 ? (g.length === 0 ? 0 : 1) : editDistance(g, w) / [...w].length;
}
