/**
 * The flag panel's behaviour: the form's flags walked one at a time (n/p), each shown with its
 * field's label, the Chinese explanation, the value read and its confidence, a crop of its cell
 * (click to zoom; a scan's own pixels or a 3× render, so sharp on a 2× screen) and an inline
 * edit. y: the value is right (the flag is dismissed, audited); e: edit (a checkbox group too:
 * Space ticks, the arrows move), Enter saves and moves to the next flag, Esc leaves the input;
 * i: add a row to the table the flag concerns; d: to a row's delete button (arrows pick the row,
 * Enter deletes, the current flag kept); c: the comment (Enter or Esc leaves it, the text stays
 * and goes with every change). Runs after CLIENT_JS (same page), whose D, highlight, change,
 * refuse and applyView it uses; every text is set with textContent.
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
/** Points of margin around the cells; CSS pixels a point the crop is shown at (the page image's 1.5), twice that zoomed. */
const CROP_MARGIN = 6; const CROP_CSS = 1.5; let cropWidth = 0;
function cropOf(f) {
  const withBox = f.cells.filter(c => c.page && c.bbox);
  const first = withBox.find(c => c.path === f.editPath) || withBox[0]; if (!first) return null;
  const same = withBox.filter(c => c.page === first.page);
  const b = [0, 1, 2, 3].map(i => (i < 2 ? Math.min : Math.max)(...same.map(c => c.bbox[i])));
  const m = b.map((v, i) => Math.max(0, v + (i < 2 ? -CROP_MARGIN : CROP_MARGIN)).toFixed(1));
  // Sized by its box in points, whatever pixels the server cut it at (a scan's own, or 3×).
  return { src: "/forms/" + D.id + "/crops/" + first.page + ".png?bbox=" + m.join(","), width: Math.min(m[2] - m[0], 800) };
}
function sizeCrop() { el("fp-crop").style.width = cropWidth * CROP_CSS * (zoomed ? 2 : 1) + "px"; }
function editor(i) {
  if (!i) return null;
  let x;
  if (i.as === "options") {
    // A checkbox group: Tab or the arrows move, Space ticks, Enter saves (keyboard only).
    x = document.createElement("div"); x.setAttribute("role", "group"); x.className = "fp-options";
    i.options.forEach(o => {
      const l = document.createElement("label"); const c = document.createElement("input");
      c.type = "checkbox"; c.value = o; c.checked = (i.value || []).includes(o); l.append(c, " " + o); x.appendChild(l);
    });
    const hint = document.createElement("small"); hint.textContent = "空格勾选/取消，方向键移动，Enter 保存"; x.appendChild(hint);
  } else if (i.as === "select") {
    x = document.createElement("select");
    [""].concat(i.values).forEach(v => { const o = document.createElement("option"); o.value = v; o.textContent = v || "（无）"; o.selected = v === (i.value || ""); x.appendChild(o); });
  } else {
    x = document.createElement(i.long ? "textarea" : "input");
    if (!i.long) x.type = "text";
    x.value = i.text; if (i.hint) { x.placeholder = i.hint; x.title = i.hint; }
  }
  x.id = "fp-input"; x.setAttribute("aria-label", "修改识别值"); return x;
}
const isGroup = x => x.getAttribute("role") === "group";
/** Into the edit: a group's first box (or the one ticked), a text with its value selected so typing replaces it. */
function focusEdit() {
  const x = el("fp-input"); if (!x) return;
  if (isGroup(x)) { (x.querySelector("input:checked") || x.querySelector("input")).focus(); return; }
  x.focus(); if (x.select) x.select();
}
function editValue(x) {
  if (isGroup(x)) return [...x.querySelectorAll("input:checked")].map(c => c.value);
  const raw = x.value.trim(); const value = raw === "" ? null : raw; return value;
}
/** Arrow keys step between a group's boxes (a checkbox has no arrow behaviour of its own). */
function stepBox(t, d) {
  const boxes = [...t.closest("#fp-input").querySelectorAll("input")];
  const to = boxes[(boxes.indexOf(t) + d + boxes.length) % boxes.length]; if (to) to.focus();
}
function renderPanel() {
  const f = D.flags[cur] || null;
  document.querySelectorAll(".flags li.current").forEach(li => li.classList.remove("current"));
  el("flag-panel").classList.toggle("done", !f);
  ["fp-right", "fp-save", "fp-prev", "fp-next"].forEach(id => { el(id).hidden = !f; });
  el("fp-addrow").hidden = !(f && f.table);
  el("fp-delrow").hidden = !document.querySelector("[data-delete-row]");
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
  const crop = cropOf(f); el("fp-figure").hidden = !crop;
  if (crop) { cropWidth = crop.width; sizeCrop(); if (el("fp-crop").getAttribute("src") !== crop.src) el("fp-crop").src = crop.src; }
  const x = editor(f.input);
  if (x) el("fp-edit").appendChild(x);
  const li = document.querySelector('.flags li[data-flag="' + cur + '"]'); if (li) li.classList.add("current");
  outline();
}
/** The current flag's cells outlined on the page images (again once an image has loaded: boxes scale by its size). */
function outline() { const f = D.flags[cur]; if (f && f.field) highlight(f.editPath || f.field, f.cells.map(c => c.path)); }
document.querySelectorAll(".page img").forEach(img => { if (!img.complete) img.addEventListener("load", outline); });
el("fp-crop").addEventListener("click", () => { zoomed = !zoomed; el("fp-crop").classList.toggle("zoom", zoomed); sizeCrop(); });
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
  const r = await change("corrections", { field: f.editPath, value: editValue(x) });
  // Refused: the reason beside the input, the value selected so the next one typed replaces it.
  if (!r.ok) { refuse(el("fp-msg"), r.body, x); focusEdit(); return; }
  applyView(r.body, true); done("已更正“" + f.label + "”（第 " + D.version + " 版），标记已重算");
}
function startRow() {
  const f = D.flags[cur]; const box = f && f.table && document.querySelector('.addrow[data-table="' + CSS.escape(f.table) + '"]');
  const first = box && box.querySelector("[data-col]"); if (first) { first.scrollIntoView({ block: "center" }); first.focus(); }
}
/** d: to a row's delete button (the current flag's table, else the first); the arrows step rows, Enter deletes. */
function startDelete() {
  const f = D.flags[cur]; const of = t => '[data-delete-row][data-table="' + CSS.escape(t) + '"]';
  const b = (f && f.table && document.querySelector(of(f.table))) || document.querySelector("[data-delete-row]");
  if (b) { b.scrollIntoView({ block: "center" }); b.focus(); }
}
function stepRow(b, d) {
  const all = [...document.querySelectorAll('[data-delete-row][data-table="' + CSS.escape(b.dataset.table) + '"]')];
  const to = all[all.indexOf(b) + d]; if (to) { to.scrollIntoView({ block: "center" }); to.focus(); }
}
el("fp-right").addEventListener("click", right);
el("fp-delrow").addEventListener("click", startDelete);
el("fp-save").addEventListener("click", correct);
el("fp-addrow").addEventListener("click", startRow);
el("fp-prev").addEventListener("click", () => go(cur - 1));
el("fp-next").addEventListener("click", () => go(cur + 1));
document.addEventListener("keydown", e => {
  const t = e.target;
  if (t.id === "comment" && (e.key === "Escape" || e.key === "Enter")) { t.blur(); e.preventDefault(); return; }
  const inEdit = t.closest("#fp-input");
  if (inEdit || t.closest(".addrow")) {
    if (e.key === "Escape") { t.blur(); e.preventDefault(); }
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); if (inEdit) correct(); else addRow(t.closest(".addrow"), true); }
    if (inEdit && isGroup(inEdit) && e.key.startsWith("Arrow")) { e.preventDefault(); stepBox(t, e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1); }
    return;
  }
  if (t.matches("[data-delete-row]") && ["ArrowDown", "ArrowUp", "Escape"].includes(e.key)) {
    e.preventDefault(); if (e.key === "Escape") t.blur(); else stepRow(t, e.key === "ArrowDown" ? 1 : -1); return;
  }
  if (["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "n") go(cur + 1);
  else if (e.key === "p") go(cur - 1);
  else if (e.key === "y") right();
  else if (e.key === "i") { e.preventDefault(); startRow(); }
  else if (e.key === "d") { e.preventDefault(); startDelete(); }
  else if (e.key === "c") { e.preventDefault(); el("comment").focus(); }
  else if (e.key === "e" && el("fp-input")) { e.preventDefault(); focusEdit(); }
});
renderPanel();
`;
