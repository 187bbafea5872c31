import { createRequire } from "node:module";
import type * as UtifTypes from "utif2";
import { type GrayImage, toGray } from "./image.js";

/**
 * Scans that arrive as image files (PNG, JPEG, TIFF with one page per frame): sniffed by their
 * magic bytes, decoded to 8-bit gray. PNG and JPEG decode through @napi-rs/canvas, TIFF (including
 * CCITT G4) through utif2; both ship in their npm packages.
 */

const require = createRequire(import.meta.url);
// utif2 is CommonJS: an ESM namespace import sees only its `default`.
const UTIF = require("utif2") as typeof UtifTypes;

export type ImageFormat = "png" | "jpeg" | "tiff";

export function sniffImage(head: Uint8Array): ImageFormat | null {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "png";
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "jpeg";
  const ii = b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0x00;
  const mm = b(0) === 0x4d && b(1) === 0x4d && b(2) === 0x00 && b(3) === 0x2a;
  return ii || mm ? "tiff" : null;
}

/** A4's long side, inches: the resolution of a scan of this family's A4 form when its file does not say. */
const A4_LONG_IN = 11.69;

function assumedDpi(width: number, height: number): number {
  return Math.max(width, height) / A4_LONG_IN;
}

/** Pages in an image file: a TIFF's frames, otherwise one. */
export function imagePageCount(bytes: Uint8Array): number {
  if (sniffImage(bytes) !== "tiff") return 1;
  return UTIF.decode(Buffer.from(bytes)).filter((ifd) => ifd.t256 !== undefined).length;
}

function tiffDpi(ifd: UtifTypes.IFD, width: number, height: number): number {
  // t282: XResolution; t296: unit (2 = inch, 3 = cm).
  const x = Number((ifd.t282 as number[] | undefined)?.[0] ?? 0);
  const unit = Number((ifd.t296 as number[] | undefined)?.[0] ?? 2);
  const dpi = unit === 3 ? x * 2.54 : x;
  return dpi >= 50 && dpi <= 2400 ? dpi : assumedDpi(width, height);
}

/** Decodes page `page` (1-based) of an image file to gray. */
export async function decodeImageFile(bytes: Uint8Array, page: number): Promise<GrayImage> {
  const format = sniffImage(bytes);
  if (format === "tiff") {
    const buf = Buffer.from(bytes);
    const ifds = UTIF.decode(buf).filter((ifd) => ifd.t256 !== undefined);
    const ifd = ifds[page - 1];
    if (!ifd) throw new Error(`the TIFF has no page ${page}`);
    UTIF.decodeImage(buf, ifd);
    const rgba = UTIF.toRGBA8(ifd);
    return toGray(ifd.width, ifd.height, rgba, 4, tiffDpi(ifd, ifd.width, ifd.height));
  }
  const { loadImage, createCanvas } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const img = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, img.width, img.height);
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, img.width, img.height).data;
  return toGray(img.width, img.height, rgba, 4, assumedDpi(img.width, img.height));
}

/**
 * A page image as PNG for the review page, `scale` pixels per point (the frame field boxes use:
 * points are pixels · 72 / dpi).
 */
export function grayToPng(img: GrayImage, scale: number): { png: Uint8Array; width: number; height: number } {
  const { createCanvas, ImageData } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i]!;
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  const full = createCanvas(img.width, img.height);
  full.getContext("2d").putImageData(new ImageData(rgba, img.width, img.height), 0, 0);
  const width = Math.max(1, Math.round(((img.width * 72) / img.dpi) * scale));
  const height = Math.max(1, Math.round(((img.height * 72) / img.dpi) * scale));
  const out = createCanvas(width, height);
  out.getContext("2d").drawImage(full, 0, 0, width, height);
  return { png: new Uint8Array(out.toBuffer("image/png")), width, height };
}
