import { zhOf } from "../codes.js";
import { esc } from "./html.js";

/**
 * What a browser without a (right) token is shown: a page that asks for it, in Chinese, instead
 * of the API's JSON 401. Submitting it opens the same address with `?token=`, which auth.ts turns
 * into an HttpOnly cookie and drops from the address bar. API clients (`Accept: application/json`,
 * or no HTML in Accept) keep the JSON answer.
 */

/** A page load or a form post from a browser: it accepts HTML and does not put JSON first. */
export function wantsHtml(accept: string | undefined): boolean {
  const a = (accept ?? "").toLowerCase();
  return a.includes("text/html") && !a.trimStart().startsWith("application/json");
}

/** The token page for `url` (path and query as requested); `wrong` when a `?token=` was refused. */
export function tokenPage(url: string, wrong: boolean): string {
  const at = new URL(url, "http://x");
  const kept = [...at.searchParams].filter(([k]) => k !== "token");
  const hidden = kept.map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("");
  const why = wrong ? "令牌不正确，请重新输入。" : "此服务器需要审核令牌才能访问。";
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>formex 需要令牌</title>
<style>body{font:15px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f5f7fa;color:#1f2933;display:flex;justify-content:center;padding-top:12vh}
main{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:24px 28px;max-width:420px}h1{font-size:18px;margin:0 0 8px}
.msg{color:#ab091e}input[type=password]{width:100%;font:inherit;padding:4px 6px;margin:8px 0}button{font:inherit}</style></head>
<body><main><h1>请输入审核令牌</h1><p class="msg" id="token-msg">${esc(why)}</p>
<form method="get" action="${esc(at.pathname)}">${hidden}<label for="token">令牌（由管理员提供）</label>
<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
<button id="login">进入</button></form>
<p><small>${esc(zhOf("UNAUTHORIZED"))}（UNAUTHORIZED）。程序访问请用 <code>Authorization: Bearer &lt;令牌&gt;</code>。</small></p></main></body></html>`;
}
