import type { Rand } from "./prng.js";
import { type Canvas, createCanvas, GlobalFonts } from "./scan-raster.js";

/**
 * A red official seal (公章) stamped on a rendered page: a ~42 mm ring, a five-pointed star, the
 * applicant's name in an arc of red characters along the top, sometimes a line under the star;
 * the ink uneven (pressure falling off to one side, mottled, small gaps) and laid on with a
 * multiply blend, so black toner under the red stays dark as on a real stamped sheet.
 */

const SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc";
let fontReady = false;
function font(px: number): string {
  if (!fontReady) {
    GlobalFonts.registerFromPath(SEAL_FONT, "FormexSeal");
    fontReady = true;
  }
  return `${Math.round(px)}px FormexSeal`;
}

export interface Seal {
  /** The arc text (the applicant) and an optional line under the star (`财务专用章`). */
  name: string;
  below?: string;
  /** Centre in page pixels, diameter in mm, turn in degrees. */
  x: number;
  y: number;
  diameterMm: number;
  turn: number;
}

/** Value noise in [0, 1] on a grid of `cell` pixels, bilinearly interpolated. */
function valueNoise(r: Rand, w: number, h: number, cell: number): (x: number, y: number) => number {
  const gw = Math.ceil(w / cell) + 2;
  const grid = Array.from({ length: gw * (Math.ceil(h / cell) + 2) }, () => r.next());
  return (x, y) => {
    const gx = x / cell;
    const gy = y / cell;
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = gx - ix;
    const fy = gy - iy;
    const at = (i: number, j: number) => grid[j * gw + i] ?? 0.5;
    const top = at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx;
    const bottom = at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
}

function drawSeal(s: Seal, pxPerMm: number, r: Rand): Canvas {
  const radius = (s.diameterMm / 2) * pxPerMm;
  const size = Math.ceil(2 * radius + 4 * pxPerMm);
  const c = size / 2;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext("2d");
  const ink = `rgb(${r.int(195, 225)}, ${r.int(15, 45)}, ${r.int(25, 55)})`;
  ctx.fillStyle = ink;
  ctx.strokeStyle = ink;
  const ring = r.range(1.0, 1.4) * pxPerMm;
  ctx.lineWidth = ring;
  ctx.beginPath();
  ctx.arc(c, c, radius - ring / 2, 0, 2 * Math.PI);
  ctx.stroke();
  // The star, point up.
  const outer = radius * 0.3;
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const rr = k % 2 === 0 ? outer : outer * 0.382;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(c + rr * Math.cos(a), c + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  // The name along the top arc, each character upright to the centre.
  const chars = [...s.name];
  const span = Math.min(270, 80 + chars.length * 14) * (Math.PI / 180);
  const top = radius - ring - 0.7 * pxPerMm;
  const charH = Math.min(radius * 0.3, ((top * span) / chars.length) * 1.15);
  ctx.font = font(charH);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  chars.forEach((ch, i) => {
    const a = -span / 2 + (span * (i + 0.5)) / chars.length;
    ctx.save();
    ctx.translate(c, c);
    ctx.rotate(a);
    ctx.scale(chars.length > 10 ? 0.78 : 0.9, 1);
    ctx.fillText(ch, 0, -top);
    ctx.restore();
  });
  if (s.below) {
    ctx.font = font(radius * 0.17);
    ctx.fillText(s.below, c, c + radius * 0.42);
  }
  // Uneven ink: pressure falls off to one side, mottling, and small gaps where the ink skipped.
  const img = ctx.getImageData(0, 0, size, size);
  const d = img.data;
  const mottle = valueNoise(r, size, size, 2.5 * pxPerMm);
  const grain = valueNoise(r, size, size, 0.35 * pxPerMm);
  const dir = r.range(0, 2 * Math.PI);
  const [dx, dy] = [Math.cos(dir), Math.sin(dir)];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4 + 3;
      if (d[i] === 0) continue;
      const side = ((x - c) * dx + (y - c) * dy) / radius; // -1 … 1
      let k = 0.78 + 0.22 * side + 0.35 * (mottle(x, y) - 0.5);
      if (grain(x, y) > 0.83) k *= 0.25;
      d[i] = Math.round(d[i]! * Math.max(0.08, Math.min(1, k)));
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** Stamps the seal onto the page canvas (multiply blend, semi-transparent). */
export function stampSeal(page: Canvas, s: Seal, pxPerMm: number, r: Rand): void {
  const seal = drawSeal(s, pxPerMm, r);
  const ctx = page.getContext("2d");
  ctx.save();
  ctx.globalCompositeOperation = "multiply";
  ctx.globalAlpha = r.range(0.78, 0.93);
  ctx.translate(s.x, s.y);
  ctx.rotate((s.turn * Math.PI) / 180);
  ctx.drawImage(seal, -seal.width / 2, -seal.height / 2);
  ctx.restore();
}
