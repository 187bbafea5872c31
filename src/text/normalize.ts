/**
 * Text normalization shared by every source: compatibility code points, tags, line joins.
 * Only the ranges that PDF text layers mis-map are touched; `，` stays `，` in free text.
 */

/** CJK Radicals Supplement forms (no NFKC mapping) that CJK fonts' cmaps point at. */
const RADICAL_SUPPLEMENT: Record<string, string> = {
  "⺀": "冫",
  "⺁": "厂",
  "⺃": "乚",
  "⺅": "亻",
  "⺆": "冂",
  "⺈": "刀",
  "⺊": "卜",
  "⺌": "小",
  "⺍": "小",
  "⺎": "兀",
  "⺏": "尣",
  "⺐": "尢",
  "⺑": "尢",
  "⺒": "巳",
  "⺓": "幺",
  "⺔": "彐",
  "⺖": "忄",
  "⺗": "心",
  "⺘": "扌",
  "⺙": "攵",
  "⺛": "旡",
  "⺝": "月",
  "⺞": "歺",
  "⺟": "母",
  "⺠": "民",
  "⺡": "氵",
  "⺢": "氺",
  "⺣": "灬",
  "⺤": "爫",
  "⺥": "爫",
  "⺦": "丬",
  "⺧": "牛",
  "⺨": "犭",
  "⺩": "王",
  "⺪": "疋",
  "⺫": "目",
  "⺬": "示",
  "⺭": "礻",
  "⺮": "竹",
  "⺯": "糸",
  "⺰": "纟",
  "⺲": "罒",
  "⺳": "网",
  "⺴": "罓",
  "⺵": "网",
  "⺶": "羊",
  "⺷": "羊",
  "⺸": "羊",
  "⺹": "耂",
  "⺺": "肀",
  "⺻": "聿",
  "⺼": "肉",
  "⺽": "臼",
  "⺾": "艹",
  "⺿": "艹",
  "⻀": "艹",
  "⻁": "虎",
  "⻂": "衤",
  "⻃": "西",
  "⻄": "西",
  "⻅": "见",
  "⻆": "角",
  "⻇": "角",
  "⻈": "讠",
  "⻉": "贝",
  "⻊": "足",
  "⻋": "车",
  "⻌": "辶",
  "⻍": "辶",
  "⻎": "辶",
  "⻏": "阝",
  "⻐": "钅",
  "⻑": "長",
  "⻒": "镸",
  "⻓": "长",
  "⻔": "门",
  "⻕": "阜",
  "⻖": "阝",
  "⻗": "雨",
  "⻘": "青",
  "⻙": "韦",
  "⻚": "页",
  "⻛": "风",
  "⻜": "飞",
  "⻝": "食",
  "⻞": "食",
  "⻟": "食",
  "⻠": "饣",
  "⻡": "首",
  "⻢": "马",
  "⻣": "骨",
  "⻤": "鬼",
  "⻥": "鱼",
  "⻦": "鸟",
  "⻧": "卤",
  "⻨": "麦",
  "⻩": "黄",
  "⻪": "黾",
  "⻫": "斉",
  "⻬": "齐",
  "⻭": "歯",
  "⻮": "齿",
  "⻯": "竜",
  "⻰": "龙",
  "⻱": "亀",
  "⻲": "亀",
  "⻳": "龟",
};

const COMPAT_RANGES = /[\u2E80-\u2EFF\u2F00-\u2FDF\uF900-\uFAFF]|[\u{2F800}-\u{2FA1F}]/gu;

/**
 * Kangxi radicals, radical supplements and compatibility ideographs -> unified ideographs; and
 * U+2015 -> U+2014: fonts draw both dashes with one glyph and text layers pick the wrong one.
 */
export function normalizeCompatIdeographs(text: string): string {
  return text
    .replace(COMPAT_RANGES, (ch) => RADICAL_SUPPLEMENT[ch] ?? ch.normalize("NFKC"))
    .replace(/\u2015/g, "\u2014");
}

/** Full-width ASCII (digits, letters, `%`, `.`) -> half-width; for numbers, dates and targets only. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

/** HTML-ish tags that leaked into cells (`<p>`, `</p>`, `<br/>`) are dropped. */
export function stripTags(text: string): string {
  return text.replace(/<\/?(?:p|br|span|div|b|i|u|strong|em|font)\b[^<>]*\/?>/gi, "");
}

const CJK = /[\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u2E80-\u2FDF]/;
const LATIN_LETTER = /[A-Za-z]/;

/**
 * Joins a cell's printed lines: no space where a CJK line wraps (CJK text breaks anywhere),
 * one space between two Latin letters (a word wrap), and existing spaces kept.
 */
export function joinLines(lines: readonly string[]): string {
  let out = "";
  for (const raw of lines) {
    const line = raw.replace(/\s+$/u, (ws) => (ws.length > 0 ? " " : ""));
    if (out === "") {
      out = line.trimStart();
      continue;
    }
    const last = out.at(-1) ?? "";
    const first = line.trimStart()[0] ?? "";
    if (/\s/.test(last)) out += line.trimStart();
    else if (LATIN_LETTER.test(last) && LATIN_LETTER.test(first)) out += ` ${line.trimStart()}`;
    else out += line.trimStart();
  }
  return out;
}

/** Free text as printed: compat code points fixed, tags dropped, runs of blanks folded, ends trimmed. */
export function cleanFreeText(text: string): string {
  return stripTags(normalizeCompatIdeographs(text))
    .replace(/[ \t\u00A0\u3000]+/g, " ")
    .trim();
}

/** A label's comparison key: compat fixed, half-width, no blanks, `(元)` = `（元）`, `:` dropped at the end. */
export function labelKey(text: string): string {
  return toHalfWidth(normalizeCompatIdeographs(text))
    .replace(/\s+/g, "")
    .replace(/[:：]$/u, "")
    .replace(/[()]/g, (ch) => (ch === "(" ? "（" : "）"));
}

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}
