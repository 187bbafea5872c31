import type { Glyph, PathShape } from "../pdf/graphics.js";
import type { PdfPage } from "../pdf/page.js";
import type { BBox } from "../schema.js";
import { isSmallBox } from "./rulings.js";

/**
 * Checkbox marks on a text-layer page, from every way producers draw them: glyphs (☐ ☑ ■, Word's
 * Wingdings), a tick glyph or vector tick drawn over a box, vector boxes (filled = checked), and
 * AcroForm checkbox widgets. Units: PDF points, origin top-left.
 */

export interface Mark {
  bbox: BBox;
  checked: boolean;
  source: "text" | "acroform";
}

const EMPTY_BOX = new Set(["☐", "□", "▢", "◻", "❑", "❒", "⬜"]);
const CHECKED_BOX = new Set(["☑", "☒", "■", "◼", "▣", "⊠", "✅", "⬛"]);
const TICK = new Set(["√", "✓", "✔", "✗", "✘", "☓"]);

/** Symbol fonts put boxes on letters: Word's Wingdings / Wingdings 2 check boxes. */
const SYMBOL_FONTS: Array<{ font: RegExp; map: Record<string, string> }> = [
  { font: /wingdings-?2|wingdings2/i, map: { R: "☑", T: "☒", S: "☒", Q: "☒", "£": "☐", P: "✓", O: "✗" } },
  { font: /wingdings/i, map: { o: "☐", q: "☐", "¨": "☐", n: "■", þ: "☑", ý: "☒", ü: "✓", x: "☒" } },
];

function symbolOf(g: Glyph): string {
  for (const { font, map } of SYMBOL_FONTS) {
    if (!font.test(g.fontName)) continue;
    const code = g.text.codePointAt(0) ?? 0;
    // Symbol fonts often land in the Private Use Area at U+F000 + code.
    const ch = code >= 0xf000 && code <= 0xf0ff ? String.fromCharCode(code - 0xf000) : g.text;
    return map[ch] ?? g.text;
  }
  return g.text;
}

const area = (b: BBox) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
function overlap(a: BBox, b: BBox): number {
  return area([Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])]);
}
function centreInside(inner: BBox, outer: BBox, slack = 0.3): boolean {
  const cx = (inner[0] + inner[2]) / 2;
  const cy = (inner[1] + inner[3]) / 2;
  const sx = (outer[2] - outer[0]) * slack;
  const sy = (outer[3] - outer[1]) * slack;
  return cx >= outer[0] - sx && cx <= outer[2] + sx && cy >= outer[1] - sy && cy <= outer[3] + sy;
}

function luminance(hex: string | null): number {
  if (!hex || !/^#[0-9a-f]{6}$/i.test(hex)) return 0;
  const n = Number.parseInt(hex.slice(1), 16);
  return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
}

/** A glyph's visual box: the em box is taller than the drawn square; keep it square around the centre. */
function glyphBox(g: Glyph): BBox {
  const cx = (g.bbox[0] + g.bbox[2]) / 2;
  const cy = (g.bbox[1] + g.bbox[3]) / 2;
  const half = Math.min(g.bbox[2] - g.bbox[0], g.bbox[3] - g.bbox[1]) / 2;
  return [cx - half, cy - half, cx + half, cy + half];
}

/** A page's checkbox marks, and the glyphs drawn as boxes or ticks (marks, not text). */
export interface PageMarks {
  marks: Mark[];
  consumed: Set<Glyph>;
}

export function detectCheckMarks(page: PdfPage): PageMarks {
  const consumed = new Set<Glyph>();
  const boxes: Mark[] = [];
  const ticks: BBox[] = [];

  for (const g of page.graphics.glyphs) {
    if (g.clipped) continue;
    const s = symbolOf(g);
    if (EMPTY_BOX.has(s) || CHECKED_BOX.has(s)) {
      boxes.push({ bbox: glyphBox(g), checked: CHECKED_BOX.has(s), source: "text" });
      consumed.add(g);
    } else if (TICK.has(s)) {
      ticks.push(glyphBox(g));
      consumed.add(g);
    }
  }

  const vectorBoxes: Array<{ shape: PathShape; mark: Mark }> = [];
  for (const shape of page.graphics.shapes) {
    if (!isSmallBox(shape.bbox) || !(shape.closedRect || shape.hasCurves)) continue;
    const dup = vectorBoxes.find((v) => overlap(v.shape.bbox, shape.bbox) > 0.8 * area(shape.bbox));
    const dark = shape.filled && luminance(shape.fill) < 0.8;
    if (dup) {
      dup.mark.checked ||= dark;
      continue;
    }
    vectorBoxes.push({ shape, mark: { bbox: shape.bbox, checked: dark, source: "text" } });
  }
  boxes.push(...vectorBoxes.map((v) => v.mark));

  // Vector ticks and crosses: small open paths that are not boxes themselves.
  for (const shape of page.graphics.shapes) {
    const [x0, y0, x1, y1] = shape.bbox;
    if (shape.closedRect || (isSmallBox(shape.bbox) && shape.hasCurves)) continue;
    if (x1 - x0 > 20 || y1 - y0 > 20 || (x1 - x0 < 1.5 && y1 - y0 < 1.5)) continue;
    if (
      shape.segments.some((s) => Math.abs(s[0] - s[2]) > 0.5 && Math.abs(s[1] - s[3]) > 0.5) ||
      shape.hasCurves
    ) {
      ticks.push(shape.bbox);
    }
  }

  for (const tick of ticks) {
    const box = boxes.find((b) => centreInside(tick, b.bbox));
    if (box) box.checked = true;
    else boxes.push({ bbox: tick, checked: true, source: "text" });
  }

  const widgets: Mark[] = page.widgets.map((w) => ({ bbox: w.bbox, checked: w.checked, source: "acroform" }));
  // A widget is the truth for its place: drop drawn boxes under it (often its own border).
  const drawn = boxes.filter((b) => !widgets.some((w) => overlap(w.bbox, b.bbox) > 0.3 * area(b.bbox)));
  return { marks: [...drawn, ...widgets], consumed };
}
