import { DEFAULT_MODEL, type OcrModel } from "./engine.js";

/**
 * OCR settings. Entry points read them (flags, then these environment variables, then defaults)
 * into the run's options (src/options.ts), which carry them down to every stage.
 */
export interface OcrSettings {
  /** FORMEX_OCR=off: scanned pages are reported as NEEDS_OCR and not read. */
  enabled: boolean;
  /**
   * FORMEX_OCR_ENGINE: `paddle` (default: PaddleOCR reads every cell, tesseract reads short values
   * again) or `tesseract` (tesseract alone, numbers read three ways).
   */
  engine: OcrEngineName;
  /** FORMEX_OCR_MODEL: tesseract's chi_sim model, `4.0.0_best_int` (default) or `4.0.0`. */
  model: OcrModel;
  /** FORMEX_OCR_PAGE_TIMEOUT_MS: one scanned page's budget for all its OCR. */
  pageTimeoutMs: number;
  /** FORMEX_MIN_CONFIDENCE: an OCR value read twice (numbers, dates, targets, names, boxes) under this (0..1) gets LOW_CONFIDENCE. */
  minConfidence: number;
  /**
   * FORMEX_MIN_TEXT_CONFIDENCE: a long free text (read once, its confidence the recognizer's mean
   * character probability) under this gets LOW_CONFIDENCE; calibrated on the corpus (BENCHMARKS.md).
   */
  minTextConfidence: number;
}

export type OcrEngineName = "paddle" | "tesseract";

export const OCR_DEFAULTS = { pageTimeoutMs: 120_000, minConfidence: 0.8, minTextConfidence: 1 } as const;

function number(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined || value === "" ? Number.NaN : Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

export function ocrSettings(env: Readonly<Record<string, string | undefined>>): OcrSettings {
  const model = env.FORMEX_OCR_MODEL === "4.0.0" ? "4.0.0" : DEFAULT_MODEL;
  return {
    enabled: !/^(0|off|false|no)$/i.test(env.FORMEX_OCR ?? ""),
    engine: env.FORMEX_OCR_ENGINE === "tesseract" ? "tesseract" : "paddle",
    model,
    pageTimeoutMs: number(env.FORMEX_OCR_PAGE_TIMEOUT_MS, OCR_DEFAULTS.pageTimeoutMs, 1000, 3_600_000),
    minConfidence: number(env.FORMEX_MIN_CONFIDENCE, OCR_DEFAULTS.minConfidence, 0, 1),
    minTextConfidence: number(env.FORMEX_MIN_TEXT_CONFIDENCE, OCR_DEFAULTS.minTextConfidence, 0, 1),
  };
}
