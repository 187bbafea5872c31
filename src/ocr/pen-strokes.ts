import { CHECKED_FILL, type PixelCheckbox } from "./checkboxes.js";
import type { InkImage, PixelBox } from "./image.js";

/**
 * Pen marks given to the box they were made in. A hand tick overshoots up and right, often far
 * enough to cross the box printed above or beside it; a thin pen line fills little of its own
 * box. So a box's ink is judged by the strokes in it: a stroke (8-connected ink, label glyphs
 * blanked) belongs to the box at its lowest point, where a tick's vertex is, and a stroke that
 * crosses half the box counts as a mark however thin it is. Units: page pixels, origin top-left.
 */

/** A stroke reaching across this share of the box's inside is a mark, even in a thin pen. */
const STROKE_SPAN = 0.5;
/** ...provided it inks at least this share of the inside (a scratch or a speck does not). */
const STROKE_FILL = 0.02;

interface Stroke {
  lowX: number;
  lowY: number;
}

function inside(b: PixelBox, x: number, y: number): boolean {
  return x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
}

/** Label components of the cell's ink (0: none), with each one's lowest pixel off every box's border. */
function strokesOf(
  ink: InkImage,
  cell: PixelBox,
  boxes: readonly PixelCheckbox[],
  blank: readonly PixelBox[],
): { label: Int32Array; strokes: Stroke[] } {
  const [cx0, cy0, cx1, cy1] = cell;
  const w = cx1 - cx0;
  const h = cy1 - cy0;
  const label = new Int32Array(w * h);
  // A label's glyphs are blanked, but never inside a box (OCR's character edges are loose).
  const on = (x: number, y: number) =>
    ink.ink[y * ink.width + x] === 1 &&
    (!blank.some((r) => inside(r, x, y)) || boxes.some((bx) => inside(bx.bbox, x, y)));
  const border = (x: number, y: number) => boxes.some((b) => inside(b.bbox, x, y) && !inside(b.inner, x, y));
  const strokes: Stroke[] = [{ lowX: -1, lowY: -1 }];
  const stack: number[] = [];
  for (let y = cy0; y < cy1; y++) {
    for (let x = cx0; x < cx1; x++) {
      if (label[(y - cy0) * w + x - cx0] !== 0 || !on(x, y)) continue;
      const id = strokes.length;
      const s: Stroke = { lowX: -1, lowY: -1 };
      strokes.push(s);
      label[(y - cy0) * w + x - cx0] = id;
      stack.push(x, y);
      while (stack.length > 0) {
        const py = stack.pop()!;
        const px = stack.pop()!;
        if (py > s.lowY && !border(px, py)) {
          s.lowX = px;
          s.lowY = py;
        }
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = px + dx;
            const ny = py + dy;
            if (nx < cx0 || ny < cy0 || nx >= cx1 || ny >= cy1) continue;
            const k = (ny - cy0) * w + nx - cx0;
            if (label[k] !== 0 || !on(nx, ny)) continue;
            label[k] = id;
            stack.push(nx, ny);
          }
        }
      }
    }
  }
  return { label, strokes };
}

/** The box a stroke's lowest point lies in or just under (a tick's vertex dips below its box). */
function homeOf(stroke: Stroke, boxes: readonly PixelCheckbox[]): number {
  return boxes.findIndex((b) => {
    const side = b.bbox[2] - b.bbox[0];
    const zone: PixelBox = [b.bbox[0] - side / 4, b.bbox[1], b.bbox[2] + side / 4, b.bbox[3] + side / 2];
    return inside(zone, stroke.lowX, stroke.lowY);
  });
}

/** The boxes re-judged on the strokes that are theirs; `blank`: where the labels' glyphs are. */
export function attributeStrokes(
  ink: InkImage,
  cell: PixelBox,
  boxes: readonly PixelCheckbox[],
  blank: readonly PixelBox[],
): PixelCheckbox[] {
  if (boxes.length === 0) return [];
  const { label, strokes } = strokesOf(ink, cell, boxes, blank);
  const homes = strokes.map((s) => (s.lowY < 0 ? -1 : homeOf(s, boxes)));
  const w = cell[2] - cell[0];
  return boxes.map((b, i) => {
    const [x0, y0, x1, y1] = b.inner;
    const side = Math.max(1, Math.min(x1 - x0, y1 - y0));
    const extent = new Map<number, [number, number, number, number]>();
    let mine = 0;
    for (let y = Math.max(y0, cell[1]); y < Math.min(y1, cell[3]); y++) {
      for (let x = Math.max(x0, cell[0]); x < Math.min(x1, cell[2]); x++) {
        const id = label[(y - cell[1]) * w + x - cell[0]]!;
        // Another box's stroke passing through is not this box's mark.
        if (id === 0 || (homes[id]! >= 0 && homes[id] !== i)) continue;
        mine++;
        const e = extent.get(id) ?? [x, y, x, y];
        extent.set(id, [Math.min(e[0], x), Math.min(e[1], y), Math.max(e[2], x), Math.max(e[3], y)]);
      }
    }
    const fill = mine / Math.max(1, (x1 - x0) * (y1 - y0));
    const span = Math.max(
      0,
      ...[...extent.values()].map((e) => Math.max(e[2] - e[0] + 1, e[3] - e[1] + 1) / side),
    );
    const byFill = fill / CHECKED_FILL;
    const byStroke = fill >= STROKE_FILL ? span / STROKE_SPAN : 0;
    const score = Math.max(byFill, byStroke);
    const checked = score > 1;
    // 0.5 at the decision threshold, 1 far from it, as for a box judged by its fill alone.
    const confidence = Math.min(1, 0.5 + Math.abs(score - 1) / 2);
    return { ...b, checked, fill, confidence };
  });
}
