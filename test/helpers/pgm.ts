import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GrayImage } from "../../src/ocr/image.js";

const PARTS = join(import.meta.dirname, "../../fixtures/parts");

/** A binary PGM of fixtures/parts (P5, 8-bit) as a gray image at `dpi`. */
export function readPart(name: string, dpi: number): GrayImage {
  const pgm = readFileSync(join(PARTS, name));
  const [, w = "0", h = "0"] = pgm.toString("latin1", 0, 20).split(/\s+/);
  const data = new Uint8Array(pgm.subarray(pgm.length - Number(w) * Number(h)));
  return { width: Number(w), height: Number(h), data, dpi };
}
