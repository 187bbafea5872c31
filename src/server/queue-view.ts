import { type Code, FLAGS, zhOf } from "../codes.js";
import type { QueueQuery, QueueSort, StatusCounts } from "../store/review-queue.js";
import { esc } from "./html.js";
import { PAGER_STYLE, pageNav } from "./pager.js";
import { queueSearch } from "./queue-query.js";
import { page, STATUS_ZH, statusZh, type Uploaded, uploadedNote, uploadForm, zhOfAny } from "./views.js";

/** The queue page: status tabs with counts, counts per flag code, filters, sort, one page of forms. */

export interface QueueRow {
  id: number;
  file: string;
  applicant: string | null;
  projectName: string | null;
  /** The flags the review policy routes (why the form waits). */
  flags: Array<{ code: string; severity: string }>;
  reviewStatus: string;
  lowConfidence: number | null;
}

export interface QueueView {
  rows: QueueRow[];
  query: QueueQuery;
  statuses: StatusCounts;
  flags: Array<{ code: string; forms: number }>;
  /** Forms under the whole query (the current status tab's count). */
  total: number;
  lastPage: number;
  pageSize: number;
  reviewer: string;
  uploaded?: Uploaded | undefined;
}

export const SORT_ZH: Readonly<Record<QueueSort, string>> = {
  severity: "最严重的标记",
  applicant: "申报单位",
  file: "文件名",
  confidence: "最低置信度",
};

const QUEUE_STYLE = `<style>nav.tabs{display:flex;gap:4px;margin-bottom:8px;flex-wrap:wrap}nav.tabs a{padding:3px 10px;border:1px solid #bcccdc;border-radius:4px;background:#fff;text-decoration:none;color:#243b53}
nav.tabs a.current{background:#243b53;color:#fff}nav.codes{margin-bottom:10px}nav.codes a{text-decoration:none}
${PAGER_STYLE}</style>`;

const chip = (code: string, severity: string, n: number) =>
  `<span class="chip ${esc(severity)}" title="${esc(zhOfAny(code, code))}">${esc(zhOfAny(code, code))} <small>${esc(code)}</small>${n > 1 ? ` ×${n}` : ""}</span>`;

function flagCell(flags: QueueRow["flags"]): string {
  const counts = new Map<string, { severity: string; n: number }>();
  for (const f of flags) counts.set(f.code, { severity: f.severity, n: (counts.get(f.code)?.n ?? 0) + 1 });
  return [...counts].map(([code, c]) => chip(code, c.severity, c.n)).join(" ");
}

export function queuePage(v: QueueView): string {
  const q = v.query;
  const tabs = (["pending", "approved", "rejected", "all"] as const)
    .map(
      (s) =>
        `<a href="/${esc(queueSearch(q, { status: s, page: 1 }))}" data-status="${s}"${q.status === s ? ' class="current"' : ""}>${STATUS_ZH[s]} <b>${v.statuses[s]}</b></a>`,
    )
    .join("");
  const codeLinks = v.flags
    .map(
      (f) =>
        `<a href="/${esc(queueSearch(q, { flag: f.code, page: 1 }))}" data-code="${esc(f.code)}">${chip(f.code, f.code in FLAGS ? FLAGS[f.code as keyof typeof FLAGS].severity : "info", 1)} <b>${f.forms}</b></a>`,
    )
    .join(" ");
  const clearFlag = q.flag ? ` <a href="/${esc(queueSearch(q, { flag: null, page: 1 }))}">全部标记</a>` : "";
  // A form opened from here walks this view of the queue (j/k) and leads back to it.
  const formSearch = esc(queueSearch(q, { page: 1 }));
  const body = `<header><h1>formex 审核队列</h1><span>${v.total} 份表单</span><a href="/documents">文档</a><span style="margin-left:auto">审核人：${esc(v.reviewer)}</span></header><main>${QUEUE_STYLE}
<nav class="tabs" id="status-tabs">${tabs}</nav>
<nav class="codes" id="flag-counts">${codeLinks || "<span>没有标记</span>"}${clearFlag}</nav>
<form class="filters" method="get"><input type="hidden" name="status" value="${esc(q.status)}">
<select name="flag"><option value="">全部标记</option>${Object.keys(FLAGS)
    .map(
      (c) =>
        `<option value="${esc(c)}"${q.flag === c ? " selected" : ""}>${esc(zhOf(c as Code))}（${esc(c)}）</option>`,
    )
    .join("")}</select>
<input type="text" name="applicant" placeholder="申报单位" value="${esc(q.applicant ?? "")}">
<input type="text" name="file" placeholder="文件名" value="${esc(q.file ?? "")}">
<label>排序 <select name="sort">${(Object.keys(SORT_ZH) as QueueSort[]).map((s) => `<option value="${s}"${q.sort === s ? " selected" : ""}>${SORT_ZH[s]}</option>`).join("")}</select></label>
<button>筛选</button></form>
${uploadForm()}${uploadedNote(v.uploaded, '正在读取，读完后出现在队列中。<a href="/documents">查看进度</a>')}
<table id="queue"><thead><tr><th>#</th><th>文件</th><th>申报单位</th><th>项目名称</th><th>标记</th><th>最低置信度</th><th>状态</th></tr></thead><tbody>
${v.rows
  .map((r) => {
    const href = `/forms/${r.id}${formSearch}`;
    const conf = r.lowConfidence === null ? "" : r.lowConfidence.toFixed(2);
    return `<tr data-id="${r.id}"><td><a href="${href}">${r.id}</a></td><td>${esc(r.file)}</td><td>${esc(r.applicant ?? "")}</td><td><a href="${href}">${esc(r.projectName ?? "（无）")}</a></td><td>${flagCell(r.flags)}</td><td>${conf}</td><td>${esc(statusZh(r.reviewStatus))}</td></tr>`;
  })
  .join("\n")}
</tbody></table>${pageNav({ page: q.page, last: v.lastPage, total: v.total, size: v.pageSize, href: (n) => `/${queueSearch(q, { page: n })}` })}</main>`;
  return page("formex 审核队列", body);
}
