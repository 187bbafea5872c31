import type { CheckMark, LineItem } from "../layout/model.js";
import { labelKey } from "../text/normalize.js";

export interface CheckboxGroupReading {
  /** Checked option labels, in print order. */
  checked: string[];
  /** Options whose label was found in the cells. */
  found: string[];
  marks: CheckMark[];
}

/**
 * Reads a checkbox group: finds each option label in the printed stream and pairs it with the
 * box printed right after it (the seed's layout) or right before it, whichever the group uses.
 */
export function readCheckboxGroup(
  items: readonly LineItem[],
  options: readonly string[],
): CheckboxGroupReading {
  let text = "";
  const boxes: Array<{ at: number; mark: CheckMark }> = [];
  for (const it of items) {
    if (it.kind === "text") text += labelKey(it.text);
    else boxes.push({ at: text.length, mark: it });
  }
  const spans: Array<{ option: string; start: number; end: number }> = [];
  for (const option of options) {
    const key = labelKey(option);
    const start = text.indexOf(key);
    if (start >= 0) spans.push({ option, start, end: start + key.length });
  }
  spans.sort((a, b) => a.start - b.start);

  // Boxes sit on label ends (label then box) or on label starts (box then label).
  const onEnds = boxes.filter((b) => spans.some((s) => s.end === b.at)).length;
  const onStarts = boxes.filter((b) => spans.some((s) => s.start === b.at)).length;
  const boxAfterLabel = onEnds >= onStarts;

  const checked: string[] = [];
  spans.forEach((span, i) => {
    const lo = boxAfterLabel ? span.end : i > 0 ? spans[i - 1]!.end : 0;
    const hi = boxAfterLabel ? (spans[i + 1]?.start ?? Number.POSITIVE_INFINITY) : span.start;
    const mine = boxes.filter((b) => b.at >= lo && b.at <= hi);
    if (mine.some((b) => b.mark.checked)) checked.push(span.option);
  });
  // Print order is the template order when labels were found out of order (two-column layouts).
  checked.sort((a, b) => options.indexOf(a) - options.indexOf(b));
  return { checked, found: spans.map((s) => s.option), marks: boxes.map((b) => b.mark) };
}
