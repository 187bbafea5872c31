import type { Ruling } from "../layout/rulings.js";
import type { InkImage } from "./image.js";

/**
 * Rules a black-and-white scan printed as sparse dots: a thin gray rule thresholded at 1 bit keeps
 * one dot every few points (gaps up to ≈ 9 pt measured at 200 dpi), too far apart for a run of
 * ink. A rule is a chain of dots along one line, each dot thin and clear of ink just above and
 * below it; a line of text chains too, but its dots sit on glyphs that go on across the line.
 * Only clear dots carry a chain on: glyph ink between them counts against its clear share but
 * bridges no gap (a rule's dots beside a column of text would chain on into its strokes).
 * Output units: PDF points, origin top-left (pixels · 72 / dpi).
 */

/** Largest gap between two dots of one rule, points. */
const MAX_DOT_GAP_PT = 18;
/** Shortest dotted rule kept, points: a cell's side, longer than a run of glyph tops. */
const MIN_DOTTED_PT = 30;
/** Half the band a rule's dots lie in, points: what deskewing leaves of a slant over a page's width. */
export const BAND_PT = 0.7;
/** Width of the clear band beyond the dots' band on either side, points. */
export const CLEAR_PT = 1.2;
/** Share of a rule's dots that must be clear of ink across it; glyph strokes go on across. */
const MIN_CLEAR_SHARE = 0.7;
/**
 * Pieces of one line (each a rule by itself) are one rule across a gap up to this, points: the
 * dots thin out where the scan lost the rule's gray. A table's rule stops at a cell, not mid-line.
 */
const STITCH_PT = 48;
/** Fewest dots per 10 points of rule: noise speckles are sparser than a dithered rule. */
const MIN_DOTS_PER_10PT = 1.2;
/**
 * Fewest dots of a vertical rule: CJK glyphs stand in columns, and a few thin strokes one above
 * another (a box's side, a `1`) chain down a column of text; a rule's side of a cell has more.
 */
const MIN_VERTICAL_DOTS = 8;

/** Ink within `band` rows above or below each pixel (1 = some), row by row in memory order. */
function bandAcrossRows(ink: Uint8Array, w: number, h: number, band: number): Uint8Array {
  const out = new Uint8Array(ink.length);
  for (let y = 0; y < h; y++)
    for (let d = -band; d <= band; d++) {
      const other = y + d;
      if (other < 0 || other >= h) continue;
      for (let x = 0, i = y * w, j = other * w; x < w; x++, i++, j++) if (ink[j]) out[i] = 1;
    }
  return out;
}

/** Ink within `band` columns left or right of each pixel (1 = some): a sliding count along each row. */
function bandAcrossColumns(ink: Uint8Array, w: number, h: number, band: number): Uint8Array {
  const out = new Uint8Array(ink.length);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let n = 0;
    for (let x = 0; x < Math.min(w, band); x++) n += ink[row + x]!;
    for (let x = 0; x < w; x++) {
      if (x + band < w) n += ink[row + x + band]!;
      if (x - band - 1 >= 0) n -= ink[row + x - band - 1]!;
      if (n > 0) out[row + x] = 1;
    }
  }
  return out;
}

/** One direction of a page's ink: `lines` lines of `length` pixels; pixel `pos` of line `line` is `ink[line * lineStride + pos * posStride]`. */
export interface InkLines {
  ink: Uint8Array;
  lines: number;
  length: number;
  lineStride: number;
  posStride: number;
}

/**
 * A dot is clear when lines `line ± c0…c1` hold no ink over its positions `from − 1 … to + 1`:
 * glyph strokes go on across a line, a rule's dot does not. Past the image's edges is paper.
 */
export function clearAcross(
  a: InkLines,
  line: number,
  from: number,
  to: number,
  c0: number,
  c1: number,
): boolean {
  const p0 = Math.max(0, from - 1);
  const p1 = Math.min(a.length - 1, to + 1);
  for (let d = c0; d <= c1; d++) {
    const before = line - d;
    const after = line + d;
    for (let p = p0; p <= p1; p++)
      if (
        (before >= 0 && a.ink[before * a.lineStride + p * a.posStride]) ||
        (after < a.lines && a.ink[after * a.lineStride + p * a.posStride])
      )
        return false;
  }
  return true;
}

/** The dotted rules along one direction of the ink. */
function dottedAlong(
  along: InkLines,
  dpi: number,
  push: (line: number, from: number, to: number) => void,
): void {
  const { ink, lines, length, lineStride, posStride } = along;
  const px = dpi / 72;
  const maxGap = Math.round(MAX_DOT_GAP_PT * px);
  const minLen = Math.round(MIN_DOTTED_PT * px);
  const band = Math.max(1, Math.round(BAND_PT * px));
  const c0 = band + 2;
  const c1 = c0 + Math.max(1, Math.round(CLEAR_PT * px));
  const banded =
    posStride === 1 ? bandAcrossRows(ink, length, lines, band) : bandAcrossColumns(ink, lines, length, band);
  const hit = (line: number, pos: number) => banded[line * lineStride + pos * posStride] === 1;
  const clear = (line: number, from: number, to: number) => clearAcross(along, line, from, to, c0, c1);
  for (let line = c1 + 1; line < lines - c1 - 1; line++) {
    let start = -1;
    let last = -1;
    let dots = 0;
    let clearDots = 0;
    /** Glyph-ink dots since the chain's last clear dot: counted only once another clear dot follows. */
    let pending = 0;
    const close = () => {
      const len = last - start + 1;
      if (
        start >= 0 &&
        len >= minLen &&
        dots >= (MIN_DOTS_PER_10PT * len) / (10 * px) &&
        (posStride === 1 || dots >= MIN_VERTICAL_DOTS) &&
        clearDots >= MIN_CLEAR_SHARE * dots
      )
        push(line, start, last + 1);
      start = -1;
      dots = 0;
      clearDots = 0;
      pending = 0;
    };
    for (let pos = 0; pos < length; pos++) {
      if (!hit(line, pos)) continue;
      let end = pos;
      while (end + 1 < length && hit(line, end + 1)) end++;
      if (!clear(line, pos, end)) {
        if (start >= 0) pending++;
        pos = end;
        continue;
      }
      if (start >= 0 && pos - last > maxGap) close();
      if (start < 0) start = pos;
      // Across a row, glyph ink in the chain tells a line of text; down a column it is mostly the
      // strokes of text touching the rule (a fax's vertical rules lost to it otherwise).
      dots += (posStride === 1 ? pending : 0) + 1;
      clearDots++;
      pending = 0;
      last = end;
      pos = end;
    }
    close();
  }
}

/** Horizontal and vertical dotted rules of a 1-bit page's ink. */
export function detectDottedRulings(
  ink: InkImage,
  dpi: number,
): { horizontal: Ruling[]; vertical: Ruling[] } {
  const pt = 72 / dpi;
  const { width: w, height: h } = ink;
  const horizontal: Ruling[] = [];
  const vertical: Ruling[] = [];
  const rows: InkLines = { ink: ink.ink, lines: h, length: w, lineStride: w, posStride: 1 };
  const columns: InkLines = { ink: ink.ink, lines: w, length: h, lineStride: 1, posStride: w };
  dottedAlong(rows, dpi, (y, x0, x1) => horizontal.push({ at: (y + 0.5) * pt, from: x0 * pt, to: x1 * pt }));
  dottedAlong(columns, dpi, (x, y0, y1) => vertical.push({ at: (x + 0.5) * pt, from: y0 * pt, to: y1 * pt }));
  const across = stitch(horizontal, pt);
  const down = stitch(vertical, pt);
  return { horizontal: toWalls(across, down), vertical: toWalls(down, across) };
}

/**
 * A dotted rule whose last dots fell short of the rule it meets is carried on to it: the nearest
 * crossing rule within STITCH_PT past each end (a table's rules end at a rule).
 */
function toWalls(lines: Ruling[], crossing: Ruling[]): Ruling[] {
  return lines.map((r) => {
    const walls = crossing.filter((c) => r.at >= c.from - 2 && r.at <= c.to + 2).map((c) => c.at);
    const before = walls.filter((x) => x <= r.from + 2 && x >= r.from - STITCH_PT);
    const after = walls.filter((x) => x >= r.to - 2 && x <= r.to + STITCH_PT);
    return {
      at: r.at,
      from: before.length ? Math.max(...before) : r.from,
      to: after.length ? Math.min(...after) : r.to,
    };
  });
}

/**
 * One rule per physical line: each dot is seen from every line of its band, so the pieces are
 * chained across neighbouring lines (`at` steps of one pixel), merged, then joined across gaps.
 */
function stitch(pieces: Ruling[], pt: number): Ruling[] {
  const sorted = [...pieces].sort((a, b) => a.at - b.at);
  const groups: Ruling[][] = [];
  for (const r of sorted) {
    const g = groups.at(-1);
    if (g && r.at - g.at(-1)!.at <= 1.5 * pt) g.push(r);
    else groups.push([r]);
  }
  const out: Ruling[] = [];
  for (const g of groups) {
    const weight = g.reduce((s, r) => s + r.to - r.from, 0);
    const at = g.reduce((s, r) => s + r.at * (r.to - r.from), 0) / weight;
    const spans = g.map((r) => [r.from, r.to] as const).sort((a, b) => a[0] - b[0]);
    let cur: Ruling | null = null;
    for (const [from, to] of spans) {
      if (cur && from - cur.to <= STITCH_PT) cur.to = Math.max(cur.to, to);
      else {
        if (cur) out.push(cur);
        cur = { at, from, to };
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}
