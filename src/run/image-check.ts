import type { ErrorCode } from "../errors.js";
import type { ImageFormat } from "../ocr/image-file.js";

/**
 * Can an image file be decoded safely? The PNG and JPEG decoder (@napi-rs/canvas) crashes the
 * process, not just the page, on a PNG without image data or a JPEG cut short, and a small file
 * can declare gigapixels; such files are refused at submission. TIFFs are decoded in JavaScript
 * (utif2) and pass.
 */

/** The most pixels an image file may declare: pdf.js's cap for a PDF's images (src/pdf/open.ts). */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

export function imageProblem(
  bytes: Uint8Array,
  format: ImageFormat,
): { code: ErrorCode; message: string } | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = format === "png" ? pngSize(buf) : format === "jpeg" ? jpegSize(bytes) : null;
  if (format !== "tiff" && size === null)
    return { code: "DAMAGED_IMAGE", message: `a ${format.toUpperCase()} without a header giving its size` };
  if (size && size.width * size.height > MAX_IMAGE_PIXELS)
    return {
      code: "PAGE_TOO_LARGE",
      message: `a ${size.width}×${size.height} image, over the limit of ${MAX_IMAGE_PIXELS} pixels`,
    };
  const damage = format === "png" ? pngDamage(buf) : format === "jpeg" ? jpegDamage(bytes) : null;
  return damage ? { code: "DAMAGED_IMAGE", message: `${damage}; it cannot be decoded` } : null;
}

function pngSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 33 || buf.toString("latin1", 12, 16) !== "IHDR") return null;
  const [width, height] = [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  return width > 0 && height > 0 ? { width, height } : null;
}

/** Walks the chunks after IHDR: image data, then IEND. */
function pngDamage(buf: Buffer): string | null {
  let at = 8;
  let data = false;
  while (at + 8 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    if (type === "IEND") return data ? null : "a PNG with no image data (no IDAT chunk)";
    if (type === "IDAT") data = true;
    at += 12 + length;
  }
  return "a truncated PNG (it stops before its IEND chunk)";
}

/** The frame header's size, from the segments before the first scan (each FF, a marker, a 2-byte length). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if (marker === 0xda) return null;
    at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
  }
  return null;
}

/** An end-of-image marker in the last kilobyte (some writers pad after it). */
function jpegDamage(bytes: Uint8Array): string | null {
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return null;
  return "a truncated JPEG (no end-of-image marker)";
}
