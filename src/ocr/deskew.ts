import type { InkImage } from "./image.js";

/**
 * Skew of a scanned page, in degrees (clockwise positive), up to ±`maxDegrees`: the angle at which
 * ink lines up best into rows (the projection profile's variance peaks when text lines and rulings
 * are level). Pixel frame: y down; rotate by the negative angle to straighten.
 */
export function estimateSkew(ink: InkImage, maxDegrees = 3.5): number {
  // Sample ink pixels on a coarse grid: ~150k points is plenty to place the peak to 0.05°.
  const { width: w, height: h } = ink;
  const step = Math.max(1, Math.round(Math.sqrt((w * h) / 2_000_000)));
  // Counted first, then stored in typed arrays: no growing arrays of boxed numbers.
  let n = 0;
  for (let y = 0; y < h; y += step) for (let x = 0; x < w; x += step) if (ink.ink[y * w + x]) n++;
  if (n < 500) return 0;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let y = 0, k = 0; y < h; y += step) {
    for (let x = 0; x < w; x += step) {
      if (ink.ink[y * w + x]) {
        xs[k] = x - w / 2;
        ys[k++] = y;
      }
    }
  }
  // Bins as tall as the sampling step: finer bins would favour 0° (only sampled rows filled).
  const bins = new Float64Array(Math.ceil((h + 2 * w) / step) + 1);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    // A clockwise-skewed row runs down to the right by x·tan (y grows downward): undo it, count rows.
    for (let i = 0; i < xs.length; i++) {
      const row = Math.round((ys[i]! - xs[i]! * t + w) / step);
      if (row >= 0 && row < bins.length) bins[row]!++;
    }
    let s = 0;
    for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!;
    return s;
  };
  let best = 0;
  let bestScore = -1;
  for (let d = -maxDegrees; d <= maxDegrees + 1e-9; d += 0.25) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 0.25; d <= coarse + 0.25 + 1e-9; d += 0.05) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  return Math.round(best * 100) / 100;
}
