import { PDFDocument } from "pdf-lib";
import type * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Box, Truth } from "../fixtures/layout.js";
import { Rand, seedOf } from "./prng.js";
import { addImagePage, type ScanImage } from "./scan-pdf.js";
import { choosePen, markBox } from "./scan-pen.js";
import { phonePhoto } from "./scan-photo.js";
import {
  addNoise,
  boxBlur,
  type Canvas,
  createCanvas,
  type Gray,
  jpeg,
  jpegRgb,
  openPdf,
  photocopy,
  renderPage,
  skewed,
  softenGray,
  toGray,
} from "./scan-raster.js";
import { stampSeal } from "./scan-seal.js";

/**
 * The named scan conditions of the corpus and the one function that applies one to a text PDF.
 * Everything random is drawn from (condition, id), so a scan is the same file on every run.
 */

export interface Condition {
  name: string;
  dpi: number;
  /** Output: gray JPEG, colour JPEG, 1-bit Flate or CCITT G4. */
  output: "gray" | "rgb" | "1bit" | "ccitt";
  quality: [number, number];
  skew: number;
  noise: number;
  seal?: boolean;
  pen?: boolean;
  photocopy?: boolean;
  fax?: boolean;
  photo?: boolean;
  note: string;
}

export const CONDITIONS: Condition[] = [
  {
    name: "gray300",
    dpi: 300,
    output: "gray",
    quality: [75, 75],
    skew: 1.5,
    noise: 3,
    note: "300 dpi 8-bit gray JPEG q75, skew ±1.5°, sensor noise",
  },
  {
    name: "gray200",
    dpi: 200,
    output: "gray",
    quality: [75, 75],
    skew: 1,
    noise: 4,
    note: "200 dpi gray JPEG q75, skew ±1°",
  },
  {
    name: "bw200",
    dpi: 200,
    output: "1bit",
    quality: [0, 0],
    skew: 1,
    noise: 30,
    note: "200 dpi 1-bit Flate, noise thresholded into speckles",
  },
  {
    name: "gray150",
    dpi: 150,
    output: "gray",
    quality: [60, 60],
    skew: 1,
    noise: 4,
    note: "150 dpi gray JPEG q60",
  },
  {
    name: "gray400",
    dpi: 400,
    output: "gray",
    quality: [75, 75],
    skew: 1,
    noise: 2.5,
    note: "400 dpi gray JPEG q75",
  },
  {
    name: "colour-seal300",
    dpi: 300,
    output: "rgb",
    quality: [75, 75],
    skew: 1,
    noise: 2.5,
    seal: true,
    note: "300 dpi colour JPEG, aged paper, a red official seal over 申报单位名称 and the first rows (sometimes a second one)",
  },
  {
    name: "pen-ticks300",
    dpi: 300,
    output: "rgb",
    quality: [75, 75],
    skew: 1,
    noise: 2.5,
    pen: true,
    note: "300 dpi colour JPEG; boxes printed empty, checked ones marked by pen (✓, ✗ or filled; blue or black)",
  },
  {
    name: "photocopy300",
    dpi: 300,
    output: "gray",
    quality: [75, 75],
    skew: 1.5,
    noise: 4,
    photocopy: true,
    note: "300 dpi gray JPEG of a dark photocopy: gray ground, thick strokes, toner specks, blur, skew",
  },
  {
    name: "fax200",
    dpi: 200,
    output: "ccitt",
    quality: [0, 0],
    skew: 1,
    noise: 20,
    fax: true,
    note: "200 dpi CCITT G4 with fax artefacts: dropped scanlines, streaks",
  },
  {
    name: "jpeg-low-skew3",
    dpi: 300,
    output: "gray",
    quality: [40, 60],
    skew: 3,
    noise: 4,
    note: "300 dpi gray JPEG q40–60, skew up to ±3°",
  },
  {
    name: "phone-photo",
    dpi: 200,
    output: "rgb",
    quality: [70, 70],
    skew: 0,
    noise: 0,
    photo: true,
    note: "phone photo: perspective 3–8°, uneven light, desk around the sheet, colour, blur (refusing it with a clear error is acceptable)",
  },
];

export interface ScanSource {
  /** The text PDF to scan (for pen-ticks: printed with empty boxes). */
  bytes: Uint8Array;
  forms: Array<{ applicant: string; pages: number[] }>;
  /** The layout's checkboxes (pen-ticks only). */
  boxes: Truth["boxes"] | null;
}

/** Where the page prints `申报单位名称`, in PDF points from the top-left (null when not found). */
async function applicantLine(page: pdfjs.PDFPageProxy): Promise<[number, number] | null> {
  const { height } = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  for (const item of content.items) {
    if ("str" in item && item.str.normalize("NFKC").includes("申报单位"))
      return [item.transform[4]!, height - item.transform[5]!];
  }
  return null;
}

/** Aged paper: a yellowish tint with slow mottling, multiplied over the page. */
function agePaper(c: Canvas, r: Rand): void {
  const ctx = c.getContext("2d");
  ctx.save();
  ctx.globalCompositeOperation = "multiply";
  const g = ctx.createLinearGradient(0, 0, c.width * r.range(0.5, 1), c.height);
  g.addColorStop(0, `rgb(250, ${r.int(240, 246)}, ${r.int(220, 232)})`);
  g.addColorStop(1, `rgb(${r.int(240, 248)}, ${r.int(230, 238)}, ${r.int(200, 215)})`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, c.width, c.height);
  for (let k = 0; k < 6; k++) {
    const x = r.range(0, c.width);
    const y = r.range(0, c.height);
    const rad = r.range(0.05, 0.2) * c.width;
    const spot = ctx.createRadialGradient(x, y, 0, x, y, rad);
    spot.addColorStop(0, "rgba(225, 205, 160, 0.35)");
    spot.addColorStop(1, "rgba(255, 255, 255, 0)");
    ctx.fillStyle = spot;
    ctx.fillRect(x - rad, y - rad, 2 * rad, 2 * rad);
  }
  ctx.restore();
}

/** Fax transmission: lost scanlines, a dirty-head streak down the page, a few dark lines across. */
function faxArtefacts(img: Gray, r: Rand): void {
  const { width: w, height: h } = img;
  for (let y = 1; y < h; y++) {
    if (r.chance(0.004)) {
      const run = r.int(1, 3);
      const white = r.chance(0.6);
      for (let k = 0; k < run && y + k < h; k++)
        for (let x = 0; x < w; x++) img.data[(y + k) * w + x] = white ? 255 : img.data[(y - 1) * w + x]!;
    }
  }
  const sx = r.int(Math.floor(w * 0.1), Math.floor(w * 0.9));
  for (let y = 0; y < h; y++) if (r.chance(0.8)) img.data[y * w + sx] = 70;
  for (let k = r.int(1, 3); k > 0; k--) {
    const y = r.int(0, h - 1);
    const x0 = r.int(0, Math.floor(w / 2));
    for (let x = x0; x < Math.min(w, x0 + r.int(w / 4, w)); x++) img.data[y * w + x] = 40;
  }
}

/** Scans every page of `src` under `c`; `id` seeds it. */
export async function scan(c: Condition, id: string, src: ScanSource): Promise<Uint8Array> {
  const r = new Rand(seedOf(c.name, id));
  const doc = await openPdf(src.bytes);
  const out = await PDFDocument.create();
  out.setProducer(`formex corpus scan (${c.name})`);
  out.setCreationDate(new Date(Date.UTC(2018, 0, 15)));
  out.setModificationDate(new Date(Date.UTC(2018, 0, 15)));
  const px = c.dpi / 72;
  const pxPerMm = c.dpi / 25.4;
  const pen = choosePen(r, pxPerMm);
  const quality = r.int(c.quality[0], c.quality[1]);
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const { width: pw, height: ph } = page.getViewport({ scale: 1 });
    let canvas = await renderPage(page, c.dpi);
    if (c.seal || c.photo) agePaper(canvas, r);
    if (c.seal) {
      const form = src.forms.find((f) => f.pages[0] === n);
      const at = form ? await applicantLine(page) : null;
      if (form) {
        const [x, y] = at ?? [50, 110];
        const seal = { name: form.applicant, diameterMm: r.range(40, 44), turn: r.range(-25, 25) };
        stampSeal(
          canvas,
          { ...seal, x: (x + r.range(120, 260)) * px, y: (y + r.range(15, 55)) * px },
          pxPerMm,
          r,
        );
      }
      const last = src.forms.find((f) => f.pages.at(-1) === n && f.pages.length > 1);
      if (last && r.chance(0.5)) {
        const seal = {
          name: last.applicant,
          below: r.pick(["财务专用章", "", "业务专用章"]),
          diameterMm: r.range(38, 42),
          turn: r.range(-30, 30),
        };
        stampSeal(
          canvas,
          { ...seal, x: r.range(330, 470) * px, y: r.range(0.45, 0.8) * ph * px },
          pxPerMm,
          r,
        );
      }
    }
    if (c.pen && src.boxes) {
      for (const b of src.boxes.filter((b) => b.page === n && b.checked))
        markBox(canvas, b.box.map((v) => v * px) as Box, pen, r);
    }
    page.cleanup();
    let image: ScanImage;
    let size: [number, number] = [pw, ph];
    if (c.photo) {
      canvas = phonePhoto(canvas, r);
      size = [canvas.width / px, canvas.height / px];
      image = {
        encoding: "jpeg",
        data: jpegRgb(canvas, quality),
        width: canvas.width,
        height: canvas.height,
        colour: "rgb",
      };
    } else {
      canvas = skewed(canvas, r.range(-c.skew, c.skew));
      if (c.output === "rgb") {
        canvas = softened(canvas);
        image = {
          encoding: "jpeg",
          data: jpegRgb(noisy(canvas, r, c.noise), quality),
          width: canvas.width,
          height: canvas.height,
          colour: "rgb",
        };
      } else {
        const g = toGray(canvas);
        softenGray(g);
        if (c.photocopy) {
          photocopy(g, r.next);
          boxBlur(g);
        }
        if (c.fax) faxArtefacts(g, r);
        addNoise(g, r.next, c.noise);
        image =
          c.output === "gray"
            ? { encoding: "jpeg", data: jpeg(g, quality), width: g.width, height: g.height, colour: "gray" }
            : { encoding: c.output, gray: g, threshold: c.fax ? 140 : 150 };
      }
    }
    addImagePage(out, image, size[0], size[1]);
  }
  await doc.destroy();
  return out.save({ useObjectStreams: false });
}

/** The scanner's optics for a colour page: a light blur. */
function softened(c: Canvas): Canvas {
  const out = createCanvas(c.width, c.height);
  const ctx = out.getContext("2d");
  ctx.filter = "blur(0.6px)";
  ctx.drawImage(c, 0, 0);
  return out;
}

/** Colour sensor noise, the same in all three channels plus a little chroma. */
function noisy(c: Canvas, r: Rand, sigma: number): Canvas {
  const ctx = c.getContext("2d");
  const img = ctx.getImageData(0, 0, c.width, c.height);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const n = r.gaussian() * sigma;
    for (let k = 0; k < 3; k++) d[i + k] = d[i + k]! + n;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}
