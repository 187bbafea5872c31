/**
 * The form view's behaviour: highlight, save with the server's reason shown beside the input,
 * review, shortcuts. Every value is sent as typed: the server reads it by the field's kind
 * (src/review/edit-values.ts) and refuses, in Chinese, what does not read; nothing is converted
 * here, so nothing is saved as something else.
 */
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
  try {
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
    return { ok: r.ok, body: await r.json() };
  } catch (e) { return { ok: false, body: { code: "", message: "" } }; }
}
function reason(body) {
  if (body.code === "INVALID_EDIT" || body.code === "STALE_EDIT") return body.message;
  return D.zh[body.code] || "保存失败：服务器没有回应，请稍后重试";
}
document.querySelectorAll("[data-save]").forEach(b => b.addEventListener("click", async () => {
  const f = b.closest(".field"); const msg = f.querySelector(".msg"); let value;
  if (f.dataset.kind === "options") value = [...f.querySelectorAll("[data-option]:checked")].map(i => i.value);
  else { const raw = f.querySelector("[data-input]").value.trim(); value = raw === "" ? null : raw; }
  msg.className = "msg"; msg.textContent = "";
  const r = await post("/api/forms/" + D.id + "/corrections", { field: f.dataset.field, value, version: D.version, comment: document.getElementById("comment").value || null });
  if (r.ok) { D.version = r.body.version; msg.className = "msg ok"; msg.textContent = "已保存（第 " + D.version + " 版），标记已重算"; setTimeout(() => location.reload(), 600); }
  else { f.classList.add("refused"); msg.className = "msg refused"; msg.setAttribute("role", "alert"); msg.textContent = reason(r.body); }
}));
async function review(status) {
  const r = await post("/api/forms/" + D.id + "/review", { status, version: D.version, comment: document.getElementById("comment").value || null });
  const m = document.getElementById("review-msg");
  if (r.ok) { D.version = r.body.version; document.getElementById("status").textContent = D.statuses[status]; m.className = "msg ok"; m.textContent = D.statuses[status]; }
  else { m.className = "msg"; m.textContent = reason(r.body); }
}
document.getElementById("approve").addEventListener("click", () => review("approved"));
document.getElementById("reject").addEventListener("click", () => review("rejected"));
document.addEventListener("keydown", e => {
  if (["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName)) return;
  if (e.key === "j" && D.next) location.href = "/forms/" + D.next + D.q;
  if (e.key === "k" && D.prev) location.href = "/forms/" + D.prev + D.q;
  if (e.key === "a") review("approved");
  if (e.key === "r") review("rejected");
});
`;
