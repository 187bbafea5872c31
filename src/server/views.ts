import { CODES, type Code, zhOf } from "../codes.js";
import type { ReviewPolicy } from "../flags.js";
import type { Extraction } from "../schema.js";
import { templateById } from "../templates/registry.js";
import { storeValues } from "../templates/template.js";
import { FLAG_JS } from "./client-flags.js";
import { CLIENT_JS } from "./client-js.js";
import { DOCUMENTS_JS } from "./documents-js.js";
import { formView } from "./form-view.js";
import { esc, jsonForScript } from "./html.js";

export { esc, jsonForScript };

/** Server-rendered review pages. Every value that came from a PDF passes through `esc`. */

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.55 "Noto Sans CJK SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f5f7fa}
header{background:#243b53;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline}header a{color:#d9e2ec}
h1{font-size:18px;margin:0}main{padding:16px 20px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e4e7eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f0f4f8;font-weight:600}
tr:hover td{background:#f8fbff}.chip{display:inline-block;border-radius:10px;padding:0 7px;margin:1px;font-size:12px;border:1px solid}
.error{color:#ab091e;border-color:#ab091e;background:#ffe3e3}.warning{color:#8d2b0b;border-color:#c65d21;background:#fff3c4}.info{color:#0b69a3;border-color:#0b69a3;background:#e3f8ff}
form.filters{display:flex;gap:8px;margin-bottom:12px;flex-wrap:wrap}input,select,textarea,button{font:inherit}
.layout{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:16px;height:calc(100vh - 52px)}
.pages{overflow:auto;background:#d9e2ec;padding:10px}.page{position:relative;margin:0 auto 12px;background:#fff;box-shadow:0 1px 4px #0003;width:fit-content}
.page img{display:block;max-width:100%}.hl{position:absolute;border:2px solid #e12d39;background:#e12d3922;pointer-events:none}
.side{overflow:auto;padding:0 6px 40px}.field{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:8px;margin-bottom:8px}
.field.active{border-color:#e12d39;box-shadow:0 0 0 2px #e12d3933}.field label{font-weight:600;display:block;cursor:pointer}
.field textarea{width:100%;min-height:70px}.field input[type=text]{width:100%}.msg{color:#ab091e;font-size:12px;min-height:1em}
.field.refused{border-color:#ab091e}.field.refused [data-input]{outline:2px solid #ab091e}
.flags li{cursor:pointer;margin-bottom:4px}.actions{position:sticky;bottom:0;background:#f5f7fa;padding:8px 0;display:flex;gap:8px;align-items:center}
.ok{color:#0e7c3a}.panel{background:#fff;border:2px solid #243b53;border-radius:6px;padding:8px;margin:8px 0}.panel.done{border-color:#0e7c3a}
.fp-label{font-size:16px;font-weight:600}#fp-figure{margin:4px 0;overflow:auto;max-height:260px;background:#f0f4f8}#fp-crop{display:block;cursor:zoom-in}#fp-crop.zoom{cursor:zoom-out}
.fp-read{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}#fp-edit input,#fp-edit textarea,#fp-edit select{width:100%}#fp-edit textarea{min-height:60px}#fp-tech{color:#52606d;font-size:12px}.fp-options label{display:inline-block;margin-right:10px}.fp-options small{display:block;color:#52606d}.marks{margin:2px 0}.conf{color:#52606d}.flags li.current{outline:2px solid #243b53}.flags li.other{opacity:.7;cursor:default}
.hl.cell{border-style:dashed}.addrow input,.addrow select{width:auto}.rowend{margin:-4px 0 10px;text-align:right}kbd{border:1px solid #9aa5b1;border-radius:3px;padding:0 4px;font-size:12px;background:#fff}
`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** A code's Chinese explanation; an unknown one (never expected) says only that it failed. */
export const zhOfAny = (code: string, fallback: string) => (code in CODES ? zhOf(code as Code) : fallback);

/** The review statuses as the reviewer reads them. */
export const STATUS_ZH: Readonly<Record<string, string>> = {
  pending: "待审核",
  approved: "已通过",
  rejected: "已退回",
  all: "全部",
};
export const statusZh = (s: string) => STATUS_ZH[s] ?? s;

/** Every code's Chinese explanation, for the page's script to name a refusal by its code. */
const ZH_ALL = Object.fromEntries(Object.keys(CODES).map((c) => [c, zhOf(c as Code)]));

/** The upload form; `action` says where a good upload leads (the queue, or the documents page). */
export const uploadForm = (action = "/upload") =>
  `<form class="filters" method="post" action="${action}" enctype="multipart/form-data"><input type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,.txt,application/pdf,image/png,image/jpeg,image/tiff"><button id="upload">上传</button></form>`;

/** An upload the form just made: `?uploaded=<document id>`, `&same=1` when the file was there before. */
export interface Uploaded {
  id: string;
  same: boolean;
}
export const uploadedOf = (q: { uploaded?: unknown; same?: unknown }): Uploaded | undefined =>
  typeof q.uploaded === "string" && /^[1-9][0-9]{0,14}$/.test(q.uploaded)
    ? { id: q.uploaded, same: q.same === "1" }
    : undefined;

/** What a page says after its upload form led back to it; `reading`: what happens next. */
export function uploadedNote(u: Uploaded | undefined, reading: string): string {
  if (!u) return "";
  const text = u.same
    ? `这个文件之前已上传过（文档 #${esc(u.id)}），不重复读取。`
    : `已上传（文档 #${esc(u.id)}），${reading}`;
  return `<p class="ok" id="uploaded">${text}</p>`;
}

/** The page a refused upload from the queue's or documents page's form answers with: why, and the form again. */
export function uploadErrorPage(code: string, message: string, action = "/upload"): string {
  const body = `<header><h1>formex 上传失败</h1><a href="/">返回队列</a><a href="/documents">文档</a></header><main>
<p class="msg" id="upload-error">上传失败：${esc(zhOfAny(code, "文件无法处理"))}（${esc(code)}）</p>
<details id="upload-tech"><summary>技术信息</summary><small>${esc(message)}</small></details>${uploadForm(action)}</main>`;
  return page("formex 上传失败", body);
}

export function formPage(opts: {
  id: number;
  version: number;
  current: Extraction;
  reviewStatus: string;
  reviewer: string;
  imageScale: number;
  nextId: number | null;
  prevId: number | null;
  /** The queue the reviewer came from: its query string (j/k keep it) and its URL at this form's page. */
  queue?: { search: string; back: string };
  policy?: ReviewPolicy;
}): string {
  const { current: x, id } = opts;
  const pages = x.source.pages;
  const template = templateById(x.template);
  const view = formView(x, opts.policy);
  const projectName = storeValues(template, x.form).projectName ?? "";
  const images = pages.length
    ? pages
        .map(
          (p) =>
            `<div class="page" data-page="${p}"><img src="/forms/${id}/pages/${p}.png" alt="第 ${p} 页"></div>`,
        )
        .join("")
    : "<p>此表单来自文本导出，没有页面图像。</p>";
  const data = {
    id,
    version: opts.version,
    fields: x.fields,
    scale: opts.imageScale,
    next: opts.nextId,
    prev: opts.prevId,
    zh: ZH_ALL,
    statuses: STATUS_ZH,
    status: opts.reviewStatus,
    flags: view.flags,
    q: opts.queue?.search ?? "",
  };
  const body = `<header><h1>#${id} ${esc(projectName)}</h1><span>${esc(x.source.file)} · 第 ${esc(pages.join(", "))} 页</span>
<a href="${esc(opts.queue?.back ?? "/")}">返回队列</a><span style="margin-left:auto">审核人：${esc(opts.reviewer)} · 状态：<b id="status">${esc(statusZh(opts.reviewStatus))}</b></span></header>
<div class="layout"><section class="pages">${images}</section>
<section class="side">${FLAG_PANEL}
<h3>标记（<span id="flag-count">${view.flags.length}</span>）</h3><ul class="flags" id="flag-list">${view.flagList}</ul>
<h3>字段</h3><div id="fields">${view.fields}</div>
<div class="actions"><input type="text" id="comment" placeholder="审核意见" style="flex:1"><button id="approve">通过 <kbd>a</kbd></button><button id="reject">退回 <kbd>r</kbd></button><button id="undo">撤销决定 <kbd>u</kbd></button>
<span class="msg" id="review-msg" role="status"></span></div>
<p><kbd>n</kbd>/<kbd>p</kbd> 下一个/上一个标记 · <kbd>y</kbd> 值正确 · <kbd>e</kbd> 修改（<kbd>Enter</kbd> 保存并到下一个，<kbd>Esc</kbd> 退出；勾选栏用 <kbd>空格</kbd> 勾选、方向键移动）· <kbd>i</kbd> 添加一行 · <kbd>d</kbd> 删除一行（<kbd>↑</kbd>/<kbd>↓</kbd> 选行，<kbd>Enter</kbd> 删除）· <kbd>c</kbd> 审核意见 · <kbd>j</kbd>/<kbd>k</kbd> 下一份/上一份 · 点击字段或标记在页面上高亮</p></section></div>
<script type="application/json" id="data">${jsonForScript(data)}</script>
${FORM_SCRIPTS.map((js) => `<script>${js}</script>`).join("\n")}`;
  return page(`#${id} ${projectName}`, body);
}

/** The current flag's panel: filled by the page's script (textContent only) from the data block. */
const FLAG_PANEL = `<section id="flag-panel" class="panel" aria-live="polite">
<div class="panel-head"><b>当前标记</b> <span id="fp-pos"></span> <span id="fp-chip" class="chip"></span></div>
<div id="fp-label" class="fp-label"></div><p id="fp-zh"></p>
<figure id="fp-figure"><img id="fp-crop" alt="单元格截图（点击放大）" title="点击放大/缩小"></figure>
<div>置信度：<span id="fp-conf"></span></div><div class="fp-read" title="识别值">识别值：<span id="fp-read"></span></div>
<div id="fp-edit"></div><div class="msg" id="fp-msg" aria-live="polite"></div>
<details id="fp-tech"><summary>技术信息</summary><small id="fp-detail"></small></details>
<div class="panel-actions"><button type="button" id="fp-right">值正确 <kbd>y</kbd></button> <button type="button" id="fp-save">更正并下一个 <kbd>Enter</kbd></button> <button type="button" id="fp-addrow">添加一行 <kbd>i</kbd></button> <button type="button" id="fp-delrow">删除一行 <kbd>d</kbd></button> <button type="button" id="fp-prev">上一个 <kbd>p</kbd></button> <button type="button" id="fp-next">下一个 <kbd>n</kbd></button></div>
</section>`;

/** The form page's scripts. */
const FORM_SCRIPTS: readonly string[] = [CLIENT_JS, FLAG_JS];
/** Every inline script the pages carry: the Content-Security-Policy allows these and no other. */
export const PAGE_SCRIPTS: readonly string[] = [...FORM_SCRIPTS, DOCUMENTS_JS];
