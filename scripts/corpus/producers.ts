import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HtmlOptions, printWithChromium, renderHtml } from "../fixtures/html.js";
import { layoutForms, type Style, type Truth } from "../fixtures/layout.js";
import { type CjkFont, createWriter } from "../fixtures/pdf-writer.js";
import type { PrintedForm } from "../fixtures/printed.js";

/**
 * The producers a corpus form is printed by: pdf-lib through the fixture layout (whose truth
 * knows every cell), Chromium's print-to-PDF and LibreOffice's HTML import (which lay the page
 * out themselves). The two external ones stamp dates and ids into the file: those bytes are
 * normalized so a rerun gives the same file.
 */

export type Producer = "pdf-lib" | "chromium" | "libreoffice";

export interface Printed {
  bytes: Uint8Array;
  /** Layout truth per form (pdf-lib only). */
  truths: Truth[] | null;
  /** Pages of each form, 1-based. */
  pages: number[][];
}

export async function printPdfLib(
  forms: PrintedForm[],
  style: Style,
  font: CjkFont,
  title: string,
): Promise<Printed> {
  const writer = await createWriter(font, title);
  const { pages, truths } = layoutForms(forms, style, writer.measure);
  const bytes = await writer.write(pages);
  return { bytes, truths, pages: truths.map((t) => t.pages) };
}

/** Same-length rewrites of what changes between runs: dates, the file /ID, LibreOffice's checksum. */
export function normalizePdf(bytes: Uint8Array): Uint8Array {
  const s = Buffer.from(bytes).toString("latin1");
  const zero = (hex: string) => "0".repeat(hex.length);
  const out = s
    .replace(/D:\d{14}/g, "D:20180115000000")
    .replace(/\/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g, (m, a: string, b: string) =>
      m.replace(a, zero(a)).replace(b, zero(b)),
    )
    .replace(/\/DocChecksum\s*\/([0-9A-F]+)/g, (m, a: string) => m.replace(a, zero(a)));
  return new Uint8Array(Buffer.from(out, "latin1"));
}

/** Prints through Chromium or LibreOffice; each form starts on a new page. */
export function printExternal(
  forms: PrintedForm[],
  producer: Exclude<Producer, "pdf-lib">,
  html: HtmlOptions,
): Printed {
  const dir = join(tmpdir(), `formex-corpus-${process.pid}-${producer}`);
  mkdirSync(dir, { recursive: true });
  try {
    const src = join(dir, "form.html");
    const pdf = join(dir, "form.pdf");
    if (producer === "chromium") {
      writeFileSync(src, renderHtml(forms, html));
      printWithChromium(src, pdf, dir);
    } else {
      writeFileSync(src, renderHtml(forms, { ...html, borderAttrs: true, breakOnTitle: true }));
      execFileSync(
        "soffice",
        [
          `-env:UserInstallation=file://${join(dir, "lo-profile")}`,
          "--headless",
          "--infilter=HTML (StarWriter)",
          "--convert-to",
          "pdf:writer_pdf_Export",
          "--outdir",
          dir,
          src,
        ],
        { stdio: "ignore", timeout: 180_000 },
      );
    }
    const bytes = normalizePdf(readFileSync(pdf));
    return { bytes, truths: null, pages: formPages(pdf, forms.length) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Which pages each form covers, from poppler's text of each page: a form starts on the page that
 * prints its 申报单位名称 line (a browser's or office suite's page breaks are not known in advance).
 */
export function formPages(pdf: string, forms: number): number[][] {
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { maxBuffer: 64 * 1024 * 1024 }).toString(
    "utf8",
  );
  const pages = text.split("\f").slice(0, -1);
  const starts = pages.flatMap((p, i) => (/申报单位名称/.test(p.normalize("NFKC")) ? [i + 1] : []));
  if (starts.length !== forms) throw new Error(`${pdf}: ${starts.length} form starts for ${forms} forms`);
  return starts.map((s, i) => {
    const end = (starts[i + 1] ?? pages.length + 1) - 1;
    return Array.from({ length: end - s + 1 }, (_, k) => s + k);
  });
}
