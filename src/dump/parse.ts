import type { Block, Cell, LineItem, Row } from "../layout/model.js";

/**
 * Reads the earlier digitization's text dump: one table row per line, cells separated by tabs,
 * checkboxes as `<input type="checkbox"/>` (checked: `<input checked="" .../>`), and a blank line
 * where the printed table broke across pages.
 */

const INPUT_TAG = /<input\b([^<>]*)\/?>/gi;

function readCellItems(text: string): LineItem[] {
  const items: LineItem[] = [];
  let last = 0;
  for (const m of text.matchAll(INPUT_TAG)) {
    const attrs = m[1] ?? "";
    if (!/type\s*=\s*"?checkbox/i.test(attrs)) continue;
    if (m.index > last) items.push({ kind: "text", text: text.slice(last, m.index) });
    items.push({
      kind: "box",
      checked: /\bchecked\b/i.test(attrs),
      bbox: null,
      source: "dump",
      confidence: 1,
    });
    last = m.index + m[0].length;
  }
  if (last < text.length) items.push({ kind: "text", text: text.slice(last) });
  return items;
}

function dumpCell(text: string, index: number): Cell {
  return {
    col: index,
    inLabelColumn: index === 0,
    lines: [readCellItems(text)],
    hiddenLines: [],
    page: null,
    bbox: null,
    source: "dump",
    confidence: 1,
  };
}

export function parseDump(text: string): Block[] {
  const blocks: Block[] = [];
  let afterBlank = false;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (raw.trim() === "") {
      afterBlank = true;
      continue;
    }
    if (!raw.includes("\t")) {
      blocks.push({
        kind: "line",
        line: { text: raw.trim(), page: null, bbox: null, source: "dump", confidence: 1 },
      });
    } else {
      const row: Row = { cells: raw.split("\t").map(dumpCell), page: null, startsPage: afterBlank };
      blocks.push({ kind: "row", row });
    }
    afterBlank = false;
  }
  return blocks;
}

/**
 * Text, not a binary file: no NUL and valid UTF-8. `head` may be the first bytes of a larger
 * file, so a character cut at its end is not held against it.
 */
export function looksLikeText(head: Uint8Array): boolean {
  const text = new TextDecoder("utf-8").decode(head);
  return !text.includes("\u0000") && !text.slice(0, -4).includes("\uFFFD");
}
