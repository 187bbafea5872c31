/**
 * The flag panel's behaviour: the form's flags walked one at a time (n/p), each shown with its
 * field's label, the Chinese explanation, the value read and its confidence, a crop of its cell
 * (click to zoom; cut at twice the page image's scale, so sharp on a 2× screen) and an inline
 * edit. y: the value is right (the flag is dismissed, audited); e: edit, Enter saves and moves to
 * the next flag, Esc leaves the input; i: add a row to the table the flag concerns; c: the
 * comment (Enter or Esc leaves it, the text stays and goes with every change). Runs after
 * CLIENT_JS (same page), whose D, highlight, change, refuse and applyView it uses; every text is
 * set with textContent.
 */
export const FLAG_JS = `
let cur = 0; let zoomed = false;
const el = id => document.getElementById(id);
const keyOf = f => f.code + "@" + (f.field || "");
function readText(i) {
  if (!i) return "—";
  const v = i.as === "options" ? (i.value || []).join("、") : i.as === "select" ? (i.value || "") : i.text;
  return v === "" ? "（空）" : v;
}
function cropOf(f) {
  const withBox = f.cells.filter(c => c.page && c.bbox);
  const first = withBox.find(c => c.path === f.editPath) || withBox[0]; if (!first) return null;
  const same = withBox.filter(c => c.page === first.page);
  const b = [0, 1, 2, 3].map(i => (i < 2 ? Math.min : Math.max)(...same.map(c => c.bbox[i])));
  return "/forms/" + D.id + "/crops/" + first.page + ".png?bbox=" + b.map(v => v.toFixed(1)).join(",");
}
function editor(i) {
  if (!i || i.as === "options") return null;
  let x;
  if (i.as === "select") {
    x = document.createElement("select");
    [""].concat(i.values).forEach(v => { const o = document.createElement("option"); o.value = v; o.textContent = v || "（无）"; o.selected = v === (i.value || ""); x.appendChild(o); });
  } else {
    x = document.createElement(i.long ? "textarea" : "input");
    if (!i.long) x.type = "text";
    x.value = i.text; if (i.hint) { x.placeholder = i.hint; x.title = i.hint; }
  }
  x.id = "fp-input"; x.setAttribute("aria-label", "修改识别值"); return x;
}
function renderPanel() {
  const f = D.flags[cur] || null;
  document.querySelectorAll(".flags li.current").forEach(li => li.classList.remove("current"));
  el("flag-panel").classList.toggle("done", !f);
  ["fp-right", "fp-save", "fp-prev", "fp-next"].forEach(id => { el(id).hidden = !f; });
  el("fp-addrow").hidden = !(f && f.table);
  el("fp-edit").replaceChildren();
  if (!f) {
    el("fp-pos").textContent = ""; el("fp-chip").className = "chip"; el("fp-chip").textContent = "";
    el("fp-label").textContent = "没有待处理的标记"; el("fp-zh").textContent = "可以决定了：a 通过，r 退回";
    el("fp-figure").hidden = true; el("fp-tech").hidden = true; el("fp-read").textContent = "—"; el("fp-conf").textContent = "—"; return;
  }
  el("fp-pos").textContent = (cur + 1) + " / " + D.flags.length;
  el("fp-chip").className = "chip " + f.severity; el("fp-chip").textContent = f.code;
  el("fp-label").textContent = f.label; el("fp-zh").textContent = f.zh;
  el("fp-chip").title = f.zh; el("fp-tech").hidden = false; el("fp-detail").textContent = f.code + "：" + f.detail;
  el("fp-read").textContent = readText(f.input);
  el("fp-conf").textContent = f.confidence === null ? "—" : f.confidence.toFixed(2);
  const src = cropOf(f); el("fp-figure").hidden = !src;
  if (src && el("fp-crop").getAttribute("src") !== src) el("fp-crop").src = src;
  const x = editor(f.input);
  if (x) el("fp-edit").appendChild(x);
  else if (f.editPath) el("fp-edit").textContent = "请在下方字段中勾选";
  const li = document.querySelector('.flags li[data-flag="' + cur + '"]'); if (li) li.classList.add("current");
  outline();
}
/** The current flag's cells outlined on the page images (again once an image has loaded: boxes scale by its size). */
function outline() { const f = D.flags[cur]; if (f && f.field) highlight(f.editPath || f.field, f.cells.map(c => c.path)); }
document.querySelectorAll(".page img").forEach(img => { if (!img.complete) img.addEventListener("load", outline); });
el("fp-crop").addEventListener("load", () => { const c = el("fp-crop"); c.style.width = c.naturalWidth / (zoomed ? 1 : 2) + "px"; });
el("fp-crop").addEventListener("click", () => { zoomed = !zoomed; el("fp-crop").classList.toggle("zoom", zoomed); el("fp-crop").style.width = el("fp-crop").naturalWidth / (zoomed ? 1 : 2) + "px"; });
function go(i) { cur = Math.max(0, Math.min(D.flags.length - 1, i)); el("fp-msg").textContent = ""; renderPanel(); }
/** After a change: the flag worked on is gone (its place shows the next) or, advancing, the next one. */
function onFlags(before, advance) {
  const was = before[cur]; const i = was ? D.flags.findIndex(f => keyOf(f) === keyOf(was)) : -1;
  cur = i >= 0 ? i + (advance ? 1 : 0) : cur;
  cur = Math.max(0, Math.min(cur, D.flags.length - 1));
  if (document.activeElement && document.activeElement !== document.body && el("flag-panel").contains(document.activeElement)) document.activeElement.blur();
  renderPanel();
}
function done(text) { const m = el("fp-msg"); m.className = "msg ok"; m.removeAttribute("role"); m.textContent = text; }
async function right() {
  const f = D.flags[cur]; if (!f) return;
  const r = await change("dismissals", { code: f.code, field: f.field });
  if (!r.ok) return refuse(el("fp-msg"), r.body, null);
  applyView(r.body, true); done("已确认“" + f.label + "”的值正确（第 " + D.version + " 版）");
}
async function correct() {
  const f = D.flags[cur]; const x = el("fp-input"); if (!f || !f.editPath || !x) return;
  const raw = x.value.trim(); const value = raw === "" ? null : raw;
  const r = await change("corrections", { field: f.editPath, value });
  // Refused: the reason beside the input, the value selected so the next one typed replaces it.
  if (!r.ok) { refuse(el("fp-msg"), r.body, x); x.focus(); if (x.select) x.select(); return; }
  applyView(r.body, true); done("已更正“" + f.label + "”（第 " + D.version + " 版），标记已重算");
}
function startRow() {
  const f = D.flags[cur]; const box = f && f.table && document.querySelector('.addrow[data-table="' + CSS.escape(f.table) + '"]');
  const first = box && box.querySelector("[data-col]"); if (first) { first.scrollIntoView({ block: "center" }); first.focus(); }
}
el("fp-right").addEventListener("click", right);
el("fp-save").addEventListener("click", correct);
el("fp-addrow").addEventListener("click", startRow);
el("fp-prev").addEventListener("click", () => go(cur - 1));
el("fp-next").addEventListener("click", () => go(cur + 1));
document.addEventListener("keydown", e => {
  const t = e.target;
  if (t.id === "comment" && (e.key === "Escape" || e.key === "Enter")) { t.blur(); e.preventDefault(); return; }
  if (t.id === "fp-input" || t.closest(".addrow")) {
    if (e.key === "Escape") { t.blur(); e.preventDefault(); }
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); if (t.id === "fp-input") correct(); else addRow(t.closest(".addrow"), true); }
    return;
  }
  if (["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "n") go(cur + 1);
  else if (e.key === "p") go(cur - 1);
  else if (e.key === "y") right();
  else if (e.key === "i") { e.preventDefault(); startRow(); }
  else if (e.key === "c") { e.preventDefault(); el("comment").focus(); }
  else if (e.key === "e" && el("fp-input")) { e.preventDefault(); el("fp-input").focus(); if (el("fp-input").select) el("fp-input").select(); }
});
renderPanel();
`;
