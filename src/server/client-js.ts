/**
 * The form view's behaviour: highlight (every cell a flag concerns), save with the server's reason
 * shown beside the input, rows added and deleted, decisions (approving over open errors asks
 * once) and their undo, shortcuts. A change answers with the page's new parts (form-view.ts):
 * they replace the flag list and the field cards in place, so the reviewer's place and comment
 * stay. Every value is sent as typed: the server reads it by the field's kind
 * (src/review/edit-values.ts) and refuses, in Chinese, what does not read.
 */
export const CLIENT_JS = `
const D = JSON.parse(document.getElementById("data").textContent);
function boxOn(path, cls) {
  let p = D.fields[path];
  if (!p) { const k = Object.keys(D.fields).find(k => k.startsWith(path + "[") || k.startsWith(path + ".") || path.startsWith(k)); p = k && D.fields[k]; }
  if (!p || !p.bbox || !p.page) return null;
  const pg = document.querySelector('.page[data-page="' + p.page + '"]'); if (!pg) return null;
  const img = pg.querySelector("img"); const k = img.clientWidth / img.naturalWidth * D.scale;
  const box = document.createElement("div"); box.className = "hl" + cls; box.dataset.field = path;
  box.style.left = p.bbox[0] * k + "px"; box.style.top = p.bbox[1] * k + "px";
  box.style.width = (p.bbox[2] - p.bbox[0]) * k + "px"; box.style.height = (p.bbox[3] - p.bbox[1]) * k + "px";
  pg.appendChild(box); return box;
}
function highlight(path, cells) {
  document.querySelectorAll(".field.active").forEach(e => e.classList.remove("active"));
  const f = document.querySelector('.field[data-field="' + CSS.escape(path) + '"]');
  if (f) f.classList.add("active");
  document.querySelectorAll(".hl").forEach(e => e.remove());
  const boxes = [boxOn(path, "")].concat((cells || []).filter(c => c !== path).map(c => boxOn(c, " cell"))).filter(Boolean);
  if (boxes[0]) boxes[0].scrollIntoView({ block: "center", behavior: "smooth" });
}
async function post(url, body) {
  try {
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
    return { ok: r.ok, body: await r.json() };
  } catch (e) { return { ok: false, body: { code: "", message: "" } }; }
}
function reason(body) {
  if (body.code === "INVALID_EDIT" || body.code === "STALE_EDIT") return body.message;
  return D.zh[body.code] || "保存失败：服务器没有回应，请稍后重试";
}
const comment = () => document.getElementById("comment").value || null;
function change(what, body) { return post("/api/forms/" + D.id + "/" + what, Object.assign({ version: D.version, comment: comment() }, body)); }
function refuse(msg, body, box) { msg.className = "msg refused"; msg.setAttribute("role", "alert"); msg.textContent = reason(body); if (box) box.classList.add("refused"); }
/** The page after a change: new flags and cards in place; advance moves the flag panel on. */
function applyView(b, advance) {
  D.version = b.version; D.fields = b.view.where;
  const before = D.flags; D.flags = b.view.flags;
  document.getElementById("flag-list").innerHTML = b.view.flagList;
  document.getElementById("fields").innerHTML = b.view.fields;
  document.getElementById("flag-count").textContent = String(D.flags.length);
  if (D.status !== "pending") { D.status = "pending"; document.getElementById("status").textContent = D.statuses.pending; }
  if (typeof onFlags === "function") onFlags(before, advance);
}
function saved(path, text) {
  const f = path && document.querySelector('.field[data-field="' + CSS.escape(path) + '"] .msg');
  const m = f || document.getElementById("review-msg"); m.className = "msg ok"; m.textContent = text;
}
function valueOf(f) {
  if (f.dataset.kind === "options") return [...f.querySelectorAll("[data-option]:checked")].map(i => i.value);
  const raw = f.querySelector("[data-input]").value.trim(); const value = raw === "" ? null : raw; return value;
}
async function saveCard(f) {
  const msg = f.querySelector(".msg"); msg.className = "msg"; msg.textContent = "";
  const r = await change("corrections", { field: f.dataset.field, value: valueOf(f) });
  if (!r.ok) return refuse(msg, r.body, f);
  applyView(r.body, false); saved(f.dataset.field, "已保存（第 " + D.version + " 版），标记已重算");
}
async function addRow(box, advance) {
  const values = {}; box.querySelectorAll("[data-col]").forEach(i => { if (i.value.trim() !== "") values[i.dataset.col] = i.value.trim(); });
  const msg = box.querySelector(".msg"); msg.className = "msg"; msg.textContent = "";
  const r = await change("rows", { table: box.dataset.table, values });
  if (!r.ok) return refuse(msg, r.body, box);
  applyView(r.body, advance); saved(null, "已添加一行（第 " + D.version + " 版），标记已重算");
}
async function deleteRow(b) {
  const r = await change("rows/delete", { table: b.dataset.table, index: parseInt(b.dataset.index, 10) });
  if (!r.ok) return refuse(b.parentElement.querySelector(".msg"), r.body, null);
  applyView(r.body, false); saved(null, "已删除一行（第 " + D.version + " 版），标记已重算");
}
document.getElementById("fields").addEventListener("click", e => {
  const t = e.target.closest("button, label"); if (!t) return;
  if (t.matches("[data-save]")) saveCard(t.closest(".field"));
  else if (t.matches("[data-add-row]")) addRow(t.closest(".addrow"), false);
  else if (t.matches("[data-delete-row]")) deleteRow(t);
  else if (t.parentElement && t.parentElement.dataset.field) highlight(t.parentElement.dataset.field);
});
document.getElementById("flag-list").addEventListener("click", e => {
  const li = e.target.closest("li"); if (!li) return;
  if (li.dataset.flag && typeof go === "function") go(parseInt(li.dataset.flag, 10));
  else if (li.dataset.flagField) highlight(li.dataset.flagField);
});
let armed = false;
async function review(status) {
  const m = document.getElementById("review-msg");
  const errors = D.flags.filter(f => f.severity === "error").length;
  if (status === "approved" && errors > 0 && !armed) {
    armed = true; m.className = "msg"; m.setAttribute("role", "alert");
    m.textContent = "还有 " + errors + " 个错误标记未处理：再按一次 a（或再点“通过”）确认通过，Esc 取消"; return;
  }
  armed = false;
  const r = await change("review", { status });
  if (r.ok) { D.version = r.body.version; D.status = status; document.getElementById("status").textContent = D.statuses[status]; m.className = "msg ok"; m.textContent = D.statuses[status] + "（按 u 撤销）"; }
  else { m.className = "msg"; m.textContent = reason(r.body); }
}
async function undo() {
  const r = await change("undo", {}); const m = document.getElementById("review-msg");
  if (r.ok) { D.version = r.body.version; D.status = r.body.status; document.getElementById("status").textContent = D.statuses[r.body.status]; m.className = "msg ok"; m.textContent = "已撤销决定，现为" + D.statuses[r.body.status]; }
  else { m.className = "msg"; m.textContent = reason(r.body); }
}
document.getElementById("approve").addEventListener("click", () => review("approved"));
document.getElementById("reject").addEventListener("click", () => review("rejected"));
document.getElementById("undo").addEventListener("click", undo);
document.addEventListener("keydown", e => {
  if (["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key !== "a" && armed) { armed = false; document.getElementById("review-msg").textContent = "已取消"; }
  if (e.key === "j" && D.next) location.href = "/forms/" + D.next + D.q;
  if (e.key === "k" && D.prev) location.href = "/forms/" + D.prev + D.q;
  if (e.key === "a") review("approved");
  if (e.key === "r") review("rejected");
  if (e.key === "u") undo();
});
`;
