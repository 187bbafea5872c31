import type { SubmissionRow } from "../store/submissions.js";
import { DOCUMENTS_JS } from "./documents-js.js";
import { esc, jsonForScript } from "./html.js";
import { PAGER_STYLE, pageNav } from "./pager.js";
import { page, type Uploaded, uploadedNote, uploadForm, zhOfAny } from "./views.js";

/**
 * The documents page: every upload and ingest, newest first, with its document's status,
 * progress, errors (in Chinese, the technical message on hover) and forms; a duplicate says
 * which document it is. It refreshes itself while documents are read (documents-js.ts).
 */

export const DOCUMENT_STATUS_ZH: Readonly<Record<string, string>> = {
  queued: "排队中",
  processing: "读取中",
  done: "已读完",
  failed: "失败",
};

const VIA_ZH: Readonly<Record<string, string>> = {
  upload: "网页上传",
  ingest: "命令行导入",
  extract: "命令行提取",
};

export interface DocumentsView {
  rows: SubmissionRow[];
  page: number;
  last: number;
  total: number;
  running: number;
  size: number;
  reviewer: string;
  uploaded?: Uploaded | undefined;
}

const STYLE = `<style>${PAGER_STYLE}.dup{color:#8d2b0b;display:block;font-size:12px}progress{width:80px;vertical-align:middle}</style>`;

function errorsCell(r: SubmissionRow): string {
  return r.errors
    .map(
      (e) =>
        // The extractor's English message is secondary: under a collapsed 技术信息, never the hover.
        `<span class="chip error" data-code="${esc(e.code)}">${esc(zhOfAny(e.code, "文件无法处理"))}（${esc(e.code)}）${e.page ? ` 第 ${e.page} 页` : ""}</span><details class="tech"><summary>技术信息</summary><small>${esc(e.message)}</small></details>`,
    )
    .join(" ");
}

function row(r: SubmissionRow): string {
  const dup = r.duplicate
    ? `<span class="dup" data-duplicate="${r.documentId}">与文档 #${r.documentId}（${esc(r.documentName)}）是同一文件，未重复读取</span>`
    : "";
  const bar = r.pages ? `<progress max="${r.pages}" value="${r.pagesDone}"></progress> ` : "";
  // A file refused before its pages were counted has no progress to show.
  const progress =
    r.status === "failed" && r.pages === null
      ? ""
      : `${bar}<span data-progress-text>${r.pagesDone} / ${r.pages ?? "?"} 页</span>`;
  const forms =
    r.status === "done"
      ? `<a href="/?status=all&amp;file=${esc(encodeURIComponent(r.documentName))}">${r.forms} 份</a>${r.waiting ? `（${r.waiting} 份待审核）` : ""}`
      : "";
  return `<tr data-submission="${r.id}" data-status="${esc(r.status)}"><td>${r.id}</td><td>${esc(r.name)}${dup}</td><td>#${r.documentId}</td>
<td>${esc(DOCUMENT_STATUS_ZH[r.status] ?? r.status)}</td><td>${progress}</td><td>${forms}</td><td>${errorsCell(r)}</td><td>${esc(VIA_ZH[r.via ?? ""] ?? "")}</td><td>${esc(r.createdAt.slice(0, 16).replace("T", " "))}</td></tr>`;
}

export function documentsPage(v: DocumentsView): string {
  const running = v.running ? `<span id="running">${v.running} 份正在读取，本页自动刷新</span>` : "";
  const body = `<header><h1>formex 文档</h1><span>${v.total} 次上传</span><a href="/">审核队列</a>${running}<span style="margin-left:auto">审核人：${esc(v.reviewer)}</span></header><main>${STYLE}
${uploadForm("/upload?to=documents")}${uploadedNote(v.uploaded, "正在读取，进度见下表。")}
<table id="documents"><thead><tr><th>#</th><th>文件名</th><th>文档</th><th>状态</th><th>进度</th><th>表单</th><th>错误</th><th>来源</th><th>上传时间（UTC）</th></tr></thead><tbody>
${v.rows.map(row).join("\n")}
</tbody></table>${pageNav({ page: v.page, last: v.last, total: v.total, size: v.size, href: (n) => (n === 1 ? "/documents" : `/documents?page=${n}`) })}</main>
<script type="application/json" id="docs-data">${jsonForScript({ page: v.page, total: v.total, running: v.running })}</script>
<script>${DOCUMENTS_JS}</script>`;
  return page("formex 文档", body);
}
