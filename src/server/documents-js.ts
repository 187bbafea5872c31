/**
 * The documents page refreshing itself: while a document is read it polls `/api/documents` for
 * the page it shows (every 1.5 s; every 10 s when nothing runs, to see new submissions) and
 * updates the progress in place; when a row's status changes or a submission arrives it reloads
 * the page, unless a file is picked in the upload form (the reload would drop it).
 */
export const DOCUMENTS_JS = `
const D = JSON.parse(document.getElementById("docs-data").textContent);
function progressText(row) { return row.pagesDone + " / " + (row.pages === null ? "?" : row.pages) + " 页"; }
async function tick() {
  let wait = 10000;
  try {
    const r = await fetch("/api/documents?page=" + D.page, { headers: { accept: "application/json" } });
    if (r.ok) {
      const b = await r.json();
      let changed = b.total !== D.total;
      for (const row of b.rows) {
        const tr = document.querySelector('tr[data-submission="' + row.id + '"]');
        if (!tr) { changed = true; continue; }
        if (tr.dataset.status !== row.status) changed = true;
        const text = tr.querySelector("[data-progress-text]"); if (text) text.textContent = progressText(row);
        const bar = tr.querySelector("progress"); if (bar && row.pages) { bar.max = row.pages; bar.value = row.pagesDone; }
      }
      const picked = document.querySelector("input[type=file]");
      if (changed && !(picked && picked.files && picked.files.length)) { location.reload(); return; }
      if (b.running > 0) wait = 1500;
    }
  } catch (e) { wait = 10000; }
  setTimeout(tick, wait);
}
setTimeout(tick, D.running > 0 ? 1500 : 10000);
`;
