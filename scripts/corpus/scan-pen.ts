import type { Box } from "../fixtures/layout.js";
import type { Rand } from "./prng.js";
import type { Canvas } from "./scan-raster.js";

/**
 * Pen marks on printed empty checkboxes, as a person fills the form in: a ✓ whose tail rises well
 * above and to the right of the box, a ✗ overshooting it, or the box scribbled full; blue or black
 * ballpoint, the stroke width following the pen's pressure. One person marks a whole form alike.
 */

export type MarkKind = "tick" | "cross" | "fill";

export interface Pen {
  kind: MarkKind;
  /** Ink as r, g, b. */
  ink: [number, number, number];
  /** Nominal stroke width in pixels. */
  width: number;
}

export function choosePen(r: Rand, pxPerMm: number): Pen {
  return {
    kind: r.weighted<MarkKind>([
      ["tick", 6],
      ["cross", 2.5],
      ["fill", 1.5],
    ]),
    ink: r.chance(0.6)
      ? [r.int(20, 40), r.int(35, 60), r.int(130, 175)]
      : [r.int(20, 35), r.int(20, 35), r.int(25, 40)],
    width: r.range(0.4, 0.7) * pxPerMm,
  };
}

type Pt = [number, number];

/** A quadratic curve from a to b bowed by `bow` (fraction of its length), as points. */
function curve(a: Pt, b: Pt, bow: number, n = 24): Pt[] {
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const [nx, ny] = [-(b[1] - a[1]) * bow, (b[0] - a[0]) * bow];
  const ctrl: Pt = [mx + nx, my + ny];
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = i / n;
    const u = 1 - t;
    return [
      u * u * a[0] + 2 * u * t * ctrl[0] + t * t * b[0],
      u * u * a[1] + 2 * u * t * ctrl[1] + t * t * b[1],
    ];
  });
}

/** Strokes a polyline whose width follows `pressure(t)` along it. */
function stroke(
  ctx: ReturnType<Canvas["getContext"]>,
  pts: Pt[],
  width: number,
  pressure: (t: number) => number,
): void {
  for (let i = 1; i < pts.length; i++) {
    ctx.lineWidth = Math.max(0.8, width * pressure(i / (pts.length - 1)));
    ctx.beginPath();
    ctx.moveTo(pts[i - 1]![0], pts[i - 1]![1]);
    ctx.lineTo(pts[i]![0], pts[i]![1]);
    ctx.stroke();
  }
}

/** Marks one box (page pixels) on the canvas. */
export function markBox(page: Canvas, box: Box, pen: Pen, r: Rand): void {
  const [x0, y0, x1, y1] = box;
  const w = x1 - x0;
  const h = y1 - y0;
  const j = () => r.gaussian() * 0.08 * w;
  const ctx = page.getContext("2d");
  ctx.save();
  ctx.globalCompositeOperation = "multiply";
  ctx.globalAlpha = r.range(0.82, 0.95);
  ctx.strokeStyle = `rgb(${pen.ink.join(",")})`;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  if (pen.kind === "tick") {
    const a: Pt = [x0 - 0.1 * w + j(), y0 + 0.3 * h + j()];
    const b: Pt = [x0 + 0.45 * w + j(), y1 + 0.2 * h + j()];
    const c: Pt = [x1 + r.range(0.8, 1.8) * w, y0 - r.range(1.2, 2.2) * h];
    stroke(ctx, curve(a, b, r.range(-0.1, 0.05), 10), pen.width, (t) => 0.6 + 0.5 * t);
    stroke(ctx, curve(b, c, r.range(0.02, 0.12)), pen.width, (t) => 1.1 - 0.75 * t);
  } else if (pen.kind === "cross") {
    const o = () => r.range(0.1, 0.35);
    stroke(
      ctx,
      curve([x0 - o() * w, y0 - o() * h], [x1 + o() * w, y1 + o() * h], r.range(-0.06, 0.06)),
      pen.width,
      (t) => 0.7 + 0.4 * Math.sin(Math.PI * t),
    );
    stroke(
      ctx,
      curve([x1 + o() * w, y0 - o() * h], [x0 - o() * w, y1 + o() * h], r.range(-0.06, 0.06)),
      pen.width,
      (t) => 0.7 + 0.4 * Math.sin(Math.PI * t),
    );
  } else {
    // Scribbled full: a zigzag down the box, a little past its edges, then once more across.
    const step = Math.max(1.5, pen.width * 0.8);
    const zig: Pt[] = [];
    for (let y = y0 + step / 2, k = 0; y < y1; y += step, k++) {
      const over = r.range(0, 0.15) * w;
      zig.push(k % 2 === 0 ? [x0 - over, y + j() * 0.3] : [x1 + over, y + step / 2 + j() * 0.3]);
    }
    stroke(ctx, zig, pen.width * 1.1, () => 1);
    stroke(ctx, curve([x0, y1], [x1 + 0.1 * w, y0 - 0.1 * h], 0.05), pen.width, () => 1);
  }
  ctx.restore();
}
