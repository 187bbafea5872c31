import { buildGrid, type Grid } from "../layout/grid.js";
import type { Ruling, Rulings } from "../layout/rulings.js";
import { estimateSkew } from "./deskew.js";
import { flattenLight } from "./flatten.js";
import { binarize, binarizeTwice, type GrayImage, type InkImage, otsuThreshold } from "./image.js";
import { flatSheet, type PageFrame } from "./page-frame.js";
import { findPerspective } from "./rectify.js";
import { detectPixelRulings } from "./rulings.js";
import { eraseScanStreaks, restoreDroppedScanlines } from "./scanner-lines.js";
import { rotateQuarter, rotateSmall } from "./transform.js";

/**
 * A scanned page turned upright and level, with its table's rulings and grid. Geometry of the
 * grid: PDF points (pixels · 72 / dpi), origin top-left of the upright page.
 */
export interface UprightPage {
  gray: GrayImage;
  ink: InkImage;
  /** Ink at a lighter threshold, where rulings are looked for: a thin gray rule is ink here. */
  ruleInk: InkImage;
  rulings: Rulings;
  /** Lines down the sheet that are not the table's (a fax's streaks): erased, not cells. */
  streaks: Ruling[];
  /** Where the ink of rulings merged into one lies (a slanted or doubled rule): erased, not cells. */
  pieces: Rulings;
  grid: Grid | null;
  /** The turn, skew and perspective applied: `applyFrame` redraws `gray` from the scan with them. */
  frame: PageFrame;
  /** The scan was black and white (1-bit): its gray here is only the deskewing's interpolation. */
  bilevel: boolean;
}

/**
 * True when the table's label column (the family's narrow first column) is on the left: the
 * inner vertical rulings that run most of the table's height sit nearer its left edge.
 */
function labelColumnOnLeft(grid: Grid, rulings: Rulings): boolean {
  const [x0, y0, x1, y1] = grid.extent;
  const tall = rulings.vertical.filter(
    (v) => v.to - v.from >= 0.6 * (y1 - y0) && v.at > x0 + 5 && v.at < x1 - 5,
  );
  if (tall.length === 0) return true;
  const left = Math.min(...tall.map((v) => v.at)) - x0;
  const right = x1 - Math.max(...tall.map((v) => v.at));
  return left <= right;
}

/** How far from the ink threshold toward paper white a pixel still belongs to a rule. */
const RULE_THRESHOLD_SHARE = 0.55;

/** The lighter threshold rules are found at, from the page's ink threshold. */
const ruleThreshold = (threshold: number) => Math.round(threshold + (255 - threshold) * RULE_THRESHOLD_SHARE);

function tableOf(
  gray: GrayImage,
  bilevel: boolean,
): Pick<UprightPage, "ink" | "ruleInk" | "rulings" | "streaks" | "pieces" | "grid"> {
  const threshold = otsuThreshold(gray);
  // Producers print rules thin and gray; a scan breaks them up at the ink threshold.
  const [ink, ruleInk] = binarizeTwice(gray, threshold, ruleThreshold(threshold));
  const { streaks, pieces, ...rulings } = detectPixelRulings(ruleInk, gray.dpi, bilevel);
  return { ink, ruleInk, rulings, streaks, pieces, grid: buildGrid(rulings) };
}

/** True when the image is black and white only (a 1-bit scan), judged on a sample of its pixels. */
function isBilevel(img: GrayImage): boolean {
  for (let i = 0; i < img.data.length; i += 97) {
    const v = img.data[i]!;
    if (v !== 0 && v !== 255) return false;
  }
  return true;
}

/** A scan with even light, flat (a photo's perspective undone), a quarter turn for landscape, and level. */
export interface LevelPage {
  gray: GrayImage;
  /** The frame so far: no half turn yet (`orientTable` decides it). */
  frame: PageFrame;
  bilevel: boolean;
}

/** Stage `level`: landscape scans are turned a quarter, then deskewed; a photo is warped flat instead. */
export function levelPage(input: GrayImage): LevelPage {
  const bilevel = isBilevel(input);
  // Lines the scanner drew or lost are straight across or down only here, before any turn or deskew;
  // a streak is looked for as dark as a rule is (a light one from dust would be a rule).
  const scanned = restoreDroppedScanlines(eraseScanStreaks(input, ruleThreshold(otsuThreshold(input))));
  // Even light first (one threshold fits the page); a photographed sheet is then warped flat.
  const flat = flattenLight(scanned);
  const flatInk = binarize(flat);
  const perspective = findPerspective(flat, flatInk);
  const image = flatSheet(scanned, perspective, flat);
  const quarter = image.width > image.height ? 90 : 0;
  const turned = rotateQuarter(image, quarter);
  // The warp makes the table's borders axis-aligned: the page is level, nothing to deskew. An
  // unturned, unwarped page is `flat` itself, whose ink is at hand.
  const skew = perspective ? 0 : estimateSkew(turned === flat ? flatInk : binarize(turned));
  return { gray: rotateSmall(turned, -skew), frame: { perspective, turn: quarter, skew }, bilevel };
}

/** Stage `table`: the level page's rulings and grid; an upside-down page (label column right) is turned half. */
export function orientTable(level: LevelPage): UprightPage {
  const { gray, frame, bilevel } = level;
  const first = tableOf(gray, bilevel);
  if (!first.grid || labelColumnOnLeft(first.grid, first.rulings)) return { gray, ...first, frame, bilevel };
  // Half a turn more; the straightened image is level, so turning it needs no new deskew.
  const flipped = rotateQuarter(gray, 180);
  const turn = frame.turn === 0 ? 180 : 270;
  return { gray: flipped, ...tableOf(flipped, bilevel), frame: { ...frame, turn }, bilevel };
}

/** Upright and level, with the table's rulings and grid: `levelPage`, then `orientTable`. */
export function uprightPage(scanned: GrayImage): UprightPage {
  return orientTable(levelPage(scanned));
}
