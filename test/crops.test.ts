import { join } from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOptions } from "../src/options.js";
import { CROP_SCALE, cropCaches, cropImage } from "../src/server/crops.js";
import { type Context, openContext } from "../src/service/context.js";
import { submitFile } from "../src/service/documents.js";
import { savePageFrames } from "../src/store/page-frames.js";
import { ROOT } from "./helpers/cli.js";
import { testConfig } from "./helpers/services.js";

/**
 * The flag panel's crop of a scanned page is cut from the scan's own pixels, upright by its
 * stored frame (no upsampling: a 300 dpi scan gives 300/72 pixels a point), and a crop asked for
 * again, or another on the same page, does not render or decode the page again.
 */

let ctx: Context;
let cleanup: () => Promise<void>;
let doc: { sha256: string; name: string };

beforeAll(async () => {
  const t = testConfig("pglite");
  cleanup = t.cleanup;
  ctx = await openContext(t.config, { workers: 1, options: loadOptions({}, {}) });
  const s = await submitFile(ctx, join(ROOT, "fixtures/scan/s1-gray300-skew.pdf"));
  doc = s.document;
  // The frame OCR would have stored (its skew undone): the crop is drawn in that frame.
  await savePageFrames(ctx.db, Number(s.document.id), [
    { page: 1, frame: { perspective: null, turn: 0, skew: 1.5 } },
  ]);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await cleanup?.();
});

const sizeOf = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe("a scanned page's crop", () => {
  it("has the pixel size its box implies at the scan's 300 dpi, not the 3× render's", async () => {
    const box = [100, 200, 300, 230] as const;
    const png = await cropImage(ctx, doc, 1, box);
    const [w, h] = sizeOf(png);
    const perPoint = 300 / 72;
    expect(Math.abs(w! - (box[2] - box[0]) * perPoint)).toBeLessThanOrEqual(2);
    expect(Math.abs(h! - (box[3] - box[1]) * perPoint)).toBeLessThanOrEqual(2);
    expect(w).not.toBe((box[2] - box[0]) * CROP_SCALE);
    // Not blank: the scan's pixels were copied (its sensor noise: a white fill would be all 255).
    const img = await loadImage(png);
    const g = createCanvas(img.width, img.height).getContext("2d");
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, img.width, img.height).data;
    expect(px.some((v, i) => i % 4 !== 3 && v < 250)).toBe(true);
  }, 120_000);

  it("a second request is served from the crop cache; another box on the page reuses the decoded page", async () => {
    const { crops, pictures } = cropCaches(ctx);
    const [hits, pictureMisses] = [crops.hits, pictures.misses];
    const again = await cropImage(ctx, doc, 1, [100, 200, 300, 230]);
    expect(crops.hits).toBe(hits + 1);
    expect(pictures.misses).toBe(pictureMisses);
    const other = await cropImage(ctx, doc, 1, [50, 50, 150, 80]);
    expect(pictures.misses).toBe(pictureMisses);
    expect(pictures.hits).toBeGreaterThan(0);
    expect(sizeOf(other)).not.toEqual(sizeOf(again));
  }, 60_000);
});
