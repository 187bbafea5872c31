import type { Ruling } from "../layout/rulings.js";

/** Rulings this close along (points) touch: a slanted rule's steps meet end to end. */
const TOUCH_PT = 2;

/** Two parallel rulings closer than this (points) are one rule's two edges: no cell is that narrow. */
const DOUBLED_PT = 5;

/**
 * A blurred or thick rule (a phone photo, a heavy border), or one a photo left slanted, is found as
 * several rulings a few points apart, making cells 3 pt wide that hold nothing and push the label
 * column off: rulings that close which run side by side or end to end are merged into one.
 * `pieces`: the rulings that went into a merge, where the rule's ink really lies (to be erased).
 */
export function mergeDoubled(lines: readonly Ruling[]): { merged: Ruling[]; pieces: Ruling[] } {
  let cur: Group[] = lines.map((l) => ({ ...l, weight: l.to - l.from, members: [l] }));
  // A piece can join two groups that grew apart: merge again until nothing changes.
  for (;;) {
    const next = mergePass(cur);
    if (next.length === cur.length) break;
    cur = next;
  }
  return {
    merged: cur.map(({ at, from, to }) => ({ at, from, to })),
    pieces: cur.flatMap((g) => (g.members.length > 1 ? g.members : [])),
  };
}

type Group = Ruling & { weight: number; members: Ruling[] };

function mergePass(groups: readonly Group[]): Group[] {
  const sorted = [...groups].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Group[] = [];
  for (const g of sorted) {
    // Side by side, or end to end: a rule a photo left slanted is found in steps a point or two apart.
    const twin = out.find(
      (o) => Math.abs(g.at - o.at) < DOUBLED_PT && g.from <= o.to + TOUCH_PT && g.to >= o.from - TOUCH_PT,
    );
    if (!twin) {
      out.push({ ...g, members: [...g.members] });
      continue;
    }
    twin.at = (twin.at * twin.weight + g.at * g.weight) / (twin.weight + g.weight);
    twin.weight += g.weight;
    twin.from = Math.min(twin.from, g.from);
    twin.to = Math.max(twin.to, g.to);
    twin.members.push(...g.members);
  }
  return out;
}
