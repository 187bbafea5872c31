import type { Rand } from "./prng.js";
import { type Canvas, createCanvas } from "./scan-raster.js";

/**
 * A phone photo of a sheet: the page seen in perspective (a trapezoid, the camera tilted 3–8°,
 * turned a little), lying on a desk that shows around it, lit unevenly (a gradient and a
 * vignette, a soft shadow of the phone), with a colour cast, slight blur and sensor noise.
 */

type Pt = [number, number];

/** The homography taking the four `from` corners to the four `to` corners (8 unknowns, h33 = 1). */
function homography(from: Pt[], to: Pt[]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 8; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  return [...b.map((v, i) => v / a[i]![i]!), 1];
}

export function phonePhoto(page: Canvas, r: Rand): Canvas {
  const { width: pw, height: ph } = page;
  const W = Math.round(pw * r.range(1.1, 1.18));
  const H = Math.round(ph * r.range(1.08, 1.14));
  // Where the sheet's corners land: a trapezoid (the far edge shorter), shifted and turned a little.
  const tilt = (r.range(3, 8) * Math.PI) / 180;
  const inset = Math.tan(tilt) * pw * 0.45;
  const [mx, my] = [(W - pw) / 2, (H - ph) / 2];
  const jit = () => r.gaussian() * pw * 0.008;
  let quad: Pt[] = [
    [mx + inset + jit(), my + jit()],
    [W - mx - inset + jit(), my + jit()],
    [W - mx + jit(), H - my + jit()],
    [mx + jit(), H - my + jit()],
  ];
  const turn = (r.range(-3, 3) * Math.PI) / 180;
  const [cx, cy] = [W / 2 + r.gaussian() * 10, H / 2 + r.gaussian() * 10];
  quad = quad.map(([x, y]) => [
    cx + (x - cx) * Math.cos(turn) - (y - cy) * Math.sin(turn),
    cy + (x - cx) * Math.sin(turn) + (y - cy) * Math.cos(turn),
  ]);
  // Inverse mapping: photo pixel -> sheet pixel.
  const h = homography(quad, [
    [0, 0],
    [pw, 0],
    [pw, ph],
    [0, ph],
  ]);
  const src = page.getContext("2d").getImageData(0, 0, pw, ph).data;
  const out = createCanvas(W, H);
  const octx = out.getContext("2d");
  const img = octx.createImageData(W, H);
  const d = img.data;
  const desk = r.pick<[number, number, number]>([
    [128, 96, 66],
    [92, 92, 98],
    [58, 60, 66],
    [150, 140, 125],
  ]);
  const cast: [number, number, number] = r.chance(0.6) ? [1.0, 0.96, 0.86] : [0.93, 0.97, 1.0];
  const light = r.range(0, 2 * Math.PI);
  const [lx, ly] = [Math.cos(light), Math.sin(light)];
  const shadow: Pt = [r.range(0.2, 0.8) * W, r.range(0.6, 1.0) * H];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const w = h[6]! * x + h[7]! * y + 1;
      const sx = (h[0]! * x + h[1]! * y + h[2]!) / w;
      const sy = (h[3]! * x + h[4]! * y + h[5]!) / w;
      let rgb: [number, number, number];
      if (sx >= 0 && sy >= 0 && sx < pw - 1 && sy < ph - 1) {
        const ix = Math.floor(sx);
        const iy = Math.floor(sy);
        const fx = sx - ix;
        const fy = sy - iy;
        const at = (k: number) => {
          const i0 = (iy * pw + ix) * 4 + k;
          const i1 = i0 + pw * 4;
          return (
            (src[i0]! * (1 - fx) + src[i0 + 4]! * fx) * (1 - fy) +
            (src[i1]! * (1 - fx) + src[i1 + 4]! * fx) * fy
          );
        };
        rgb = [at(0), at(1), at(2)];
      } else {
        const grain = 10 * Math.sin(y * 0.05 + Math.sin(x * 0.004) * 6) + r.gaussian() * 4;
        rgb = [desk[0] + grain, desk[1] + grain * 0.8, desk[2] + grain * 0.6];
      }
      // Light: a gradient across the frame, a vignette, and the soft shadow of the phone.
      const nx = x / W - 0.5;
      const ny = y / H - 0.5;
      const sd = Math.hypot((x - shadow[0]) / W, (y - shadow[1]) / H);
      const l =
        (0.9 + 0.18 * (nx * lx + ny * ly)) *
        (1 - 0.55 * (nx * nx + ny * ny)) *
        (1 - 0.22 * Math.exp(-sd * sd * 18));
      const i = (y * W + x) * 4;
      const n = r.gaussian() * 3;
      for (let k = 0; k < 3; k++) d[i + k] = rgb[k]! * l * cast[k]! + n;
      d[i + 3] = 255;
    }
  }
  octx.putImageData(img, 0, 0);
  // Slight blur: the camera's focus.
  const blurred = createCanvas(W, H);
  const bctx = blurred.getContext("2d");
  bctx.filter = `blur(${r.range(0.6, 1.2).toFixed(2)}px)`;
  bctx.drawImage(out, 0, 0);
  return blurred;
}
