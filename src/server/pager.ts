import { esc } from "./html.js";

/**
 * Page links for a long list (the queue, the documents page): what is shown of how many, the
 * previous and next page, the first and last, and two either side of the current one.
 */
export function pageNav(opts: {
  page: number;
  last: number;
  total: number;
  size: number;
  /** The URL of page n (escaped here). */
  href: (n: number) => string;
}): string {
  const { page, last, total, size } = opts;
  const from = total === 0 ? 0 : (page - 1) * size + 1;
  const to = Math.min(total, page * size);
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, last])]
    .filter((n) => n >= 1 && n <= last)
    .sort((a, b) => a - b);
  const link = (n: number, text = String(n)) => `<a href="${esc(opts.href(n))}" data-page="${n}">${text}</a>`;
  const parts: string[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - (shown[i - 1] ?? n) > 1) parts.push("…");
    parts.push(n === page ? `<b aria-current="page">${n}</b>` : link(n));
  });
  const prev = page > 1 ? link(page - 1, "上一页") : "";
  const next = page < last ? link(page + 1, "下一页") : "";
  return `<nav class="pager" id="pages"><span>第 ${from}–${to} 份，共 ${total} 份</span>${prev}${parts.join(" ")}${next}</nav>`;
}

/** The last page for `total` rows (1 when there are none). */
export const lastPageOf = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** A 1-based page number from a URL; anything else is page 1. */
export const pageOf = (v: unknown): number =>
  typeof v === "string" && /^[1-9][0-9]{0,6}$/.test(v) ? Number(v) : 1;

/** Its own class: `.pages` is the form page's page-image pane. */
export const PAGER_STYLE =
  "nav.pager{margin:10px 0;display:flex;gap:6px;align-items:baseline;flex-wrap:wrap}nav.pager b{padding:0 4px}";
