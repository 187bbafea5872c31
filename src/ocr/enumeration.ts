/**
 * A numbered list in Chinese prose (`1、…；2、…；3、…`, `（一）…；（二）…`, `(1)…；(2)…`) read
 * from a scan at 150 dpi or a photocopy: its `、` is a speck the recognizer drops (`；2第二季度`,
 * `12018年1月`) and its `；` loses the tail that tells it from `：` (`安排：2、`). The list's own
 * numbering puts them back: an item numbered one past the item before it, after a separator,
 * gets its `、`; a `：` right before item n (n ≥ 2, item n − 1 earlier in the text) is `；`.
 * Lines of a cell are joined by `\u0000`, which may fall anywhere; it is kept where it was.
 */

const CN_DIGITS = "一二三四五六七八九";

/** 一…九十九 as a number, or null. */
function chineseNumber(s: string): number | null {
  const m = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/u.exec(s);
  if (!m || s === "") return null;
  const [, tens = "", ten = "", ones = ""] = m;
  if (ten === "") return tens === "" || ones !== "" ? null : CN_DIGITS.indexOf(tens) + 1;
  return (
    (tens === "" ? 1 : CN_DIGITS.indexOf(tens) + 1) * 10 + (ones === "" ? 0 : CN_DIGITS.indexOf(ones) + 1)
  );
}

/** Characters a bare number is followed by when it counts something (`3个`, `4月`), not an item. */
const COUNTED = new Set("个年月日天次人项家所场篇名万亿元号条期批类件台套份户米亩吨倍届级周岁季度分秒小");

interface Item {
  style: "dun" | "cn" | "paren";
  n: number;
  at: number;
}

/** Items already marked: `n、`, `（一）`, `(n)`/`（n）`, with their offsets. */
function itemsOf(text: string): Item[] {
  const out: Item[] = [];
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})\uE000?、/gu))
    out.push({ style: "dun", n: Number(m[1]), at: m.index });
  for (const m of text.matchAll(/[（(]\uE000?([一二三四五六七八九十]{1,3})\uE000?[）)]/gu)) {
    const n = chineseNumber(m[1]!);
    if (n !== null) out.push({ style: "cn", n, at: m.index });
  }
  for (const m of text.matchAll(/[（(]\uE000?(\d{1,2})\uE000?[）)]/gu))
    out.push({ style: "paren", n: Number(m[1]), at: m.index });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * After the start or a separator, a digit with no 、: followed by a year or by a character that
 * does not count it. Offsets of the digit, with its value.
 */
function bareNumbers(text: string): Array<{ at: number; n: number }> {
  const bare = /(^|[；;：:。\uE000])(\uE000?)([1-9])(?=(?:19|20)\d\d年|[\u3400-\u9FFF《“（(])/gu;
  return [...text.matchAll(bare)]
    .map((m) => ({ at: m.index + m[1]!.length + m[2]!.length, n: Number(m[3]) }))
    .filter((b) => !COUNTED.has(text[b.at + 1] ?? ""));
}

const withDun = (text: string, at: number) => `${text.slice(0, at + 1)}、${text.slice(at + 1)}`;

/** A list none of whose 、 was read: bare numbers 1, 2, 3… in order, three or more. */
function restoreBareList(text: string): string {
  const run: number[] = [];
  for (const b of bareNumbers(text)) if (b.n === run.length + 1) run.push(b.at);
  if (run.length < 3) return text;
  return run.reduceRight((t, at) => withDun(t, at), text);
}

/** The `、` of an item whose number is one past the item before it (or 1 before a later item). */
function restoreDun(text: string): string {
  let out = restoreBareList(text);
  for (let pass = 0; pass < 20; pass++) {
    // The list's items as marked so far: each pass adds one 、 and looks again.
    const listed = itemsOf(out).filter((i) => i.style === "dun");
    const found = bareNumbers(out).find(({ at: digitAt, n }) => {
      const before = listed.filter((i) => i.at < digitAt).at(-1);
      if (n !== (before ? before.n + 1 : 1)) return false;
      return before !== undefined || listed.some((i) => i.at > digitAt && i.n > n);
    });
    if (!found) break;
    out = withDun(out, found.at);
  }
  return out;
}

/** `：` right before item n of a list whose item n − 1 came earlier: the separator `；`. */
function restoreSemicolons(text: string): string {
  const items = itemsOf(text);
  return text.replace(
    /[：:](?=\uE000?(?:\d{1,2}\uE000?、|[（(]\uE000?[一二三四五六七八九十\d]{1,3}\uE000?[）)]))/gu,
    (colon, at: number) => {
      const item = items.find((i) => i.at > at && i.at <= at + 2);
      if (!item || item.n < 2) return colon;
      const earlier = items.some((i) => i.style === item.style && i.n === item.n - 1 && i.at < at);
      return earlier ? "；" : colon;
    },
  );
}

/** Where a cell's lines were joined, as a character regular expressions may name (not a control one). */
const JOIN = "\uE000";

export function restoreEnumeration(text: string): string {
  return restoreSemicolons(restoreDun(text.replaceAll("\u0000", JOIN))).replaceAll(JOIN, "\u0000");
}
