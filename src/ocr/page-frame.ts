import { flattenLight } from "./flatten.js";
import type { GrayImage } from "./image.js";
import { keepSheet, warp } from "./rectify.js";
import { rotateQuarter, rotateSmall } from "./transform.js";

/**
 * How a scan was made upright and level, as measured once when it was read: kept with the
 * document so a review image is drawn in the frame OCR read it in (its field boxes are in that
 * frame) without measuring the page again.
 */
export interface PageFrame {
  /** The photographed sheet's homography onto a flat page (row-major 3×3, 8 numbers), or null. */
  perspective: number[] | null;
  /** Clockwise quarter turns applied, degrees; 180 and 270 include the half turn of an upside-down scan. */
  turn: 0 | 90 | 180 | 270;
  /** Skew undone, degrees clockwise. */
  skew: number;
}

/**
 * Even light first (one threshold fits the page); a photographed sheet is then warped flat by
 * `perspective`, and what lies around the sheet (a desk) is made white.
 */
export function flatSheet(
  scanned: GrayImage,
  perspective: readonly number[] | null,
  flat: GrayImage = flattenLight(scanned),
): GrayImage {
  return perspective ? keepSheet(warp(flat, perspective), warp(scanned, perspective)) : flat;
}

/** The page image exactly as `uprightPage` made it, from the frame it measured: nothing is estimated. */
export function applyFrame(scanned: GrayImage, frame: PageFrame): GrayImage {
  const quarter = frame.turn % 180 === 0 ? 0 : 90;
  const level = rotateSmall(rotateQuarter(flatSheet(scanned, frame.perspective), quarter), -frame.skew);
  return frame.turn >= 180 ? rotateQuarter(level, 180) : level;
}

/** True when `value` (read back from storage) is a frame this version can apply. */
export function isPageFrame(value: unknown): value is PageFrame {
  if (typeof value !== "object" || value === null) return false;
  const f = value as Record<string, unknown>;
  const perspective = f.perspective;
  return (
    [0, 90, 180, 270].includes(f.turn as number) &&
    typeof f.skew === "number" &&
    Number.isFinite(f.skew) &&
    (perspective === null ||
      (Array.isArray(perspective) &&
        perspective.length >= 8 &&
        perspective.every((n) => typeof n === "number" && Number.isFinite(n))))
  );
}
