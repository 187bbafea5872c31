import { OcrFailedError, PageTimeoutError } from "../errors.js";
import { OcrEngine } from "./engine.js";
import type { GrayImage } from "./image.js";
import { PaddleRecognizer } from "./paddle.js";
import type { OcrEngines } from "./page-reader.js";
import { type OcrPageResult, ocrPage } from "./scan-stages.js";
import type { OcrSettings } from "./settings.js";

/**
 * OCR of one scanned page inside a page worker. Each worker thread owns its engines (one
 * tesseract.js worker, one PaddleOCR session on one core), created on its first scanned page and
 * kept: pages spread over the page workers, so a page's pixels never cross threads.
 */

type EngineSettings = Pick<OcrSettings, "engine" | "model" | "pageTimeoutMs">;

let loaded: { key: string; engines: Promise<OcrEngines> } | null = null;

async function start(settings: EngineSettings): Promise<OcrEngines> {
  const paddle = settings.engine === "paddle" ? await PaddleRecognizer.load(1) : null;
  return { tesseract: new OcrEngine(1, settings.model), paddle };
}

function enginesFor(settings: EngineSettings): Promise<OcrEngines> {
  const key = `${settings.engine}:${settings.model}`;
  if (loaded?.key !== key) {
    const old = loaded;
    loaded = { key, engines: start(settings) };
    void old?.engines
      .then((e) => Promise.all([e.tesseract.close(), e.paddle?.close()]))
      .catch(() => undefined);
  }
  return loaded.engines;
}

/** Reads a scanned page within the OCR page budget; a failure names the page. */
export async function readScannedPage(
  image: GrayImage,
  page: number,
  settings: EngineSettings,
  file: string,
): Promise<OcrPageResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), settings.pageTimeoutMs);
  try {
    const engines = await enginesFor(settings).catch((err: Error) => {
      loaded = null;
      throw new OcrFailedError(`OCR engine failed to start: ${err.message}`, { file, page });
    });
    return await ocrPage(image, page, engines, abort.signal);
  } catch (err) {
    if (abort.signal.aborted)
      throw new PageTimeoutError(`OCR took longer than ${settings.pageTimeoutMs} ms; the page was not read`, {
        file,
        page,
      });
    if (err instanceof OcrFailedError) throw err;
    throw new OcrFailedError(`OCR failed: ${(err as Error).message}`, { file, page });
  } finally {
    clearTimeout(timer);
  }
}
