import { FLAGS } from "../codes.js";
import type { Extraction } from "../schema.js";
import { templateById } from "../templates/registry.js";
import { type FieldDef, type FormTemplate, pathOf, storeValues, valueAt } from "../templates/template.js";

/** Server-rendered review pages. Every value that came from a PDF passes through `esc`. */

export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON for a `<script type="application/json">` block: `<` can never close the script. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A field is edited in a text area: a long free text, or one that may be empty (remarks). */
const isLong = (f: FieldDef | undefined) =>
  f?.kind.kind === "text" && (f.kind.long || f.emptyString === true);

/** The form's own fields in print order (the year is not edited; tables are edited row by row). */
const scalarFields = (t: FormTemplate) =>
  t.fields.filter((f) => f.kind.kind !== "year" && f.kind.kind !== "table");

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
.flags li{cursor:pointer;margin-bottom:4px}.actions{position:sticky;bottom:0;background:#f5f7fa;padding:8px 0;display:flex;gap:8px;align-items:center}
.ok{color:#0e7c3a}kbd{border:1px solid #9aa5b1;border-radius:3px;padding:0 4px;font-size:12px;background:#fff}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface QueueRow {
  id: number;
  file: string;
  applicant: string | null;
  projectName: string | null;
  flags: Array<{ code: string; severity: string }>;
  reviewStatus: string;
}

/** What a reviewer is told when an upload is refused, by code. */
const UPLOAD_ERRORS: Record<string, string> = {
  NO_FILE: "没有选择文件",
  INPUT_TOO_LARGE: "文件太大",
  NOT_A_PDF: "不是 PDF 文件",
  ENCRYPTED_PDF: "PDF 已加密（需要密码）",
  DAMAGED_PDF: "PDF 已损坏，无法读取",
  DAMAGED_IMAGE: "图像文件已损坏或不完整",
  PAGE_TOO_LARGE: "页面或图像尺寸过大",
  EMPTY_DOCUMENT: "文件中没有内容",
  UNSUPPORTED_INPUT: "不支持的文件类型（请上传 PDF、PNG、JPEG、TIFF 或文本导出）",
  QUEUE_UNAVAILABLE: "处理队列暂时不可用：文件已登记，请稍后重新上传",
  DATABASE_UNAVAILABLE: "数据库暂时不可用，请稍后重试",
  CROSS_ORIGIN: "只接受来自本站页面的上传",
};

const uploadForm = `<form class="filters" method="post" action="/upload" enctype="multipart/form-data"><input type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,.tif,.tiff,.txt,application/pdf,image/png,image/jpeg,image/tiff"><button id="upload">上传</button></form>`;

/** The page a refused upload from the queue's form answers with: why, and the form again. */
export function uploadErrorPage(code: string, message: string): string {
  const body = `<header><h1>formex 上传失败</h1><a href="/">返回队列</a></header><main>
<p class="msg" id="upload-error">上传失败：${esc(UPLOAD_ERRORS[code] ?? "文件无法处理")}（${esc(code)}）</p>
<p><small>${esc(message)}</small></p>${uploadForm}</main>`;
  return page("formex 上传失败", body);
}

export function queuePage(
  rows: QueueRow[],
  filters: {
    flag?: string | undefined;
    applicant?: string | undefined;
    file?: string | undefined;
    status?: string | undefined;
    uploaded?: string | undefined;
  },
  reviewer: string,
): string {
  const codes = Object.keys(FLAGS);
  const chip = (code: string, severity: string, n: number) =>
    `<span class="chip ${esc(severity)}">${esc(code)}${n > 1 ? ` ×${n}` : ""}</span>`;
  const flagCell = (flags: QueueRow["flags"]) => {
    const counts = new Map<string, { severity: string; n: number }>();
    for (const f of flags) counts.set(f.code, { severity: f.severity, n: (counts.get(f.code)?.n ?? 0) + 1 });
    return [...counts].map(([code, c]) => chip(code, c.severity, c.n)).join(" ");
  };
  const body = `<header><h1>formex 审核队列</h1><span>${rows.length} 份表单</span><span style="margin-left:auto">审核人：${esc(reviewer)}</span></header><main>
<form class="filters" method="get">
<select name="flag"><option value="">全部标记</option>${codes.map((c) => `<option${filters.flag === c ? " selected" : ""}>${esc(c)}</option>`).join("")}</select>
<input type="text" name="applicant" placeholder="申报单位" value="${esc(filters.applicant ?? "")}">
<input type="text" name="file" placeholder="文件名" value="${esc(filters.file ?? "")}">
<select name="status">${["pending", "approved", "rejected", "all"].map((s) => `<option value="${s}"${(filters.status ?? "pending") === s ? " selected" : ""}>${{ pending: "待审核", approved: "已通过", rejected: "已退回", all: "全部" }[s]}</option>`).join("")}</select>
<button>筛选</button></form>
${uploadForm}${filters.uploaded ? `<p class="ok" id="uploaded">已上传（文档 #${esc(filters.uploaded)}），正在读取，读完后出现在队列中。</p>` : ""}
<table id="queue"><thead><tr><th>#</th><th>文件</th><th>申报单位</th><th>项目名称</th><th>标记</th><th>状态</th></tr></thead><tbody>
${rows.map((r) => `<tr><td><a href="/forms/${r.id}">${r.id}</a></td><td>${esc(r.file)}</td><td>${esc(r.applicant ?? "")}</td><td><a href="/forms/${r.id}">${esc(r.projectName ?? "（无）")}</a></td><td>${flagCell(r.flags)}</td><td>${esc(r.reviewStatus)}</td></tr>`).join("\n")}
</tbody></table></main>`;
  return page("formex 审核队列", body);
}

function fieldInput(field: FieldDef | undefined, value: unknown): string {
  const kind = field?.kind;
  if (kind?.kind === "checkbox") {
    const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
    return kind.options
      .map(
        (o) =>
          `<label style="font-weight:normal;display:inline"><input type="checkbox" data-option value="${esc(o)}"${chosen.has(o) ? " checked" : ""}> ${esc(o)}</label>`,
      )
      .join(" ");
  }
  const text = value === null || value === undefined ? "" : String(value);
  return isLong(field)
    ? `<textarea data-input>${esc(text)}</textarea>`
    : `<input type="text" data-input value="${esc(text)}">`;
}

/** `kind`: how the page reads the input back (`number` for money, `options` for a checkbox group). */
function fieldBlock(path: string, label: string, value: unknown, kind: string, field?: FieldDef): string {
  return `<div class="field" data-field="${esc(path)}" data-kind="${kind}"><label>${esc(label)} <small>${esc(path)}</small></label>${fieldInput(field, value)}
<div><button type="button" data-save>保存</button> <span class="msg"></span></div></div>`;
}

const kindOf = (f: FieldDef) =>
  f.kind.kind === "money" ? "number" : f.kind.kind === "checkbox" ? "options" : "text";

/** A table's rows, each cell but the levels edited; labels name the row by its levels and name. */
function tableBlocks(f: FieldDef, rows: unknown): string {
  if (f.kind.kind !== "table" || !Array.isArray(rows)) return "";
  const cols = f.kind.columns;
  const levels = cols.filter((c) => c.column.role === "level");
  const first = cols.find((c) => c.column.role === "text");
  return (rows as Array<Record<string, unknown>>)
    .flatMap((row, i) =>
      cols.flatMap((c) => {
        if (c.column.role === "level") return [];
        const path = `form.${pathOf(f)}[${i}].${c.key}`;
        const within = levels.map((l) => row[l.key]).filter((v) => typeof v === "string" && v !== "");
        const label =
          c === first
            ? `${within.length ? within.join(" · ") : f.review} · ${c.header} ${i + 1}`
            : `${String(first ? row[first.key] : i + 1)} · ${c.header}`;
        return [fieldBlock(path, label, row[c.key], c.column.role === "money" ? "number" : "text")];
      }),
    )
    .join("\n");
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
}): string {
  const { current: x, id } = opts;
  const pages = x.source.pages;
  const template = templateById(x.template);
  const fields = scalarFields(template)
    .map((f) => fieldBlock(`form.${pathOf(f)}`, f.review, valueAt(x.form, pathOf(f)), kindOf(f), f))
    .join("\n");
  const tables = template.fields
    .filter((f) => f.kind.kind === "table")
    .map((f) => `<h3>${esc(f.review)}</h3>${tableBlocks(f, valueAt(x.form, pathOf(f)))}`)
    .join("");
  const projectName = storeValues(template, x.form).projectName ?? "";
  const flags = x.flags
    .map(
      (f) =>
        `<li data-flag-field="${esc(f.field ?? "")}"><span class="chip ${esc(f.severity)}">${esc(f.code)}</span> ${esc(f.field ?? "")} — ${esc(f.message)}</li>`,
    )
    .join("");
  const images = pages.length
    ? pages
        .map(
          (p) =>
            `<div class="page" data-page="${p}"><img src="/forms/${id}/pages/${p}.png" alt="第 ${p} 页"></div>`,
        )
        .join("")
    : "<p>此表单来自文本导出，没有页面图像。</p>";
  const body = `<header><h1>#${id} ${esc(projectName)}</h1><span>${esc(x.source.file)} · 第 ${esc(pages.join(", "))} 页</span>
<a href="/">返回队列</a><span style="margin-left:auto">审核人：${esc(opts.reviewer)} · 状态：<b id="status">${esc(opts.reviewStatus)}</b></span></header>
<div class="layout"><section class="pages">${images}</section>
<section class="side"><h3>标记（${x.flags.length}）</h3><ul class="flags">${flags}</ul>
<h3>字段</h3>${fields}${tables}
<div class="actions"><input type="text" id="comment" placeholder="审核意见" style="flex:1"><button id="approve">通过 <kbd>a</kbd></button><button id="reject">退回 <kbd>r</kbd></button>
<span class="msg" id="review-msg"></span></div>
<p><kbd>j</kbd>/<kbd>k</kbd> 下一份/上一份 · 点击字段或标记在页面上高亮</p></section></div>
<script type="application/json" id="data">${jsonForScript({ id, version: opts.version, fields: x.fields, scale: opts.imageScale, next: opts.nextId, prev: opts.prevId })}</script>
<script>${CLIENT_JS}</script>`;
  return page(`#${id} ${projectName}`, body);
}

/** The form view's behaviour: highlight, save with inline errors, review, shortcuts. */
export const CLIENT_JS = `
const D = JSON.parse(document.getElementById("data").textContent);
function highlight(path) {
  document.querySelectorAll(".field.active").forEach(e => e.classList.remove("active"));
  const f = document.querySelector('.field[data-field="' + CSS.escape(path) + '"]');
  if (f) f.classList.add("active");
  document.querySelectorAll(".hl").forEach(e => e.remove());
  let p = D.fields[path];
  if (!p) { const k = Object.keys(D.fields).find(k => k.startsWith(path + "[") || k.startsWith(path + ".") || path.startsWith(k)); p = k && D.fields[k]; }
  if (!p || !p.bbox || !p.page) return;
  const pg = document.querySelector('.page[data-page="' + p.page + '"]'); if (!pg) return;
  const img = pg.querySelector("img"); const k = img.clientWidth / img.naturalWidth * D.scale;
  const box = document.createElement("div"); box.className = "hl"; box.dataset.field = path;
  box.style.left = p.bbox[0] * k + "px"; box.style.top = p.bbox[1] * k + "px";
  box.style.width = (p.bbox[2] - p.bbox[0]) * k + "px"; box.style.height = (p.bbox[3] - p.bbox[1]) * k + "px";
  pg.appendChild(box); box.scrollIntoView({ block: "center", behavior: "smooth" });
}
document.querySelectorAll(".field label").forEach(l => l.addEventListener("click", () => highlight(l.parentElement.dataset.field)));
document.querySelectorAll(".flags li").forEach(li => li.addEventListener("click", () => li.dataset.flagField && highlight(li.dataset.flagField)));
async function post(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { ok: r.ok, body: await r.json() };
}
document.querySelectorAll("[data-save]").forEach(b => b.addEventListener("click", async () => {
  const f = b.closest(".field"); const msg = f.querySelector(".msg"); let value;
  if (f.dataset.kind === "options") value = [...f.querySelectorAll("[data-option]:checked")].map(i => i.value);
  else { const raw = f.querySelector("[data-input]").value.trim(); value = raw === "" ? null : f.dataset.kind === "number" ? Number(raw.replace(/[,，]/g, "")) : raw; }
  const r = await post("/api/forms/" + D.id + "/corrections", { field: f.dataset.field, value, version: D.version, comment: document.getElementById("comment").value || null });
  if (r.ok) { D.version = r.body.version; msg.className = "msg ok"; msg.textContent = "已保存（第 " + D.version + " 版），标记已重算"; setTimeout(() => location.reload(), 600); }
  else { msg.className = "msg"; msg.textContent = r.body.message; }
}));
async function review(status) {
  const r = await post("/api/forms/" + D.id + "/review", { status, version: D.version, comment: document.getElementById("comment").value || null });
  const m = document.getElementById("review-msg");
  if (r.ok) { D.version = r.body.version; document.getElementById("status").textContent = status; m.className = "msg ok"; m.textContent = status === "approved" ? "已通过" : "已退回"; }
  else { m.className = "msg"; m.textContent = r.body.message; }
}
document.getElementById("approve").addEventListener("click", () => review("approved"));
document.getElementById("reject").addEventListener("click", () => review("rejected"));
document.addEventListener("keydown", e => {
  if (["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName)) return;
  if (e.key === "j" && D.next) location.href = "/forms/" + D.next;
  if (e.key === "k" && D.prev) location.href = "/forms/" + D.prev;
  if (e.key === "a") review("approved");
  if (e.key === "r") review("rejected");
});
`;

/** Every inline script the pages carry: the Content-Security-Policy allows these and no other. */
export const PAGE_SCRIPTS: readonly string[] = [CLIENT_JS];
