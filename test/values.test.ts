import { describe, expect, it } from "vitest";
import { cleanFreeText, joinLines, labelKey, normalizeCompatIdeographs } from "../src/text/normalize.js";
import { parseDate, parseYear } from "../src/values/date.js";
import { parseMoney } from "../src/values/money.js";
import { parseTarget } from "../src/values/target.js";

describe("parseTarget follows the spec's examples", () => {
  it.each([
    ["80", { op: "=", value: 80, unit: null }],
    ["100%", { op: "=", value: 100, unit: "%" }],
    ["≥2次", { op: ">=", value: 2, unit: "次" }],
    ["≥200人次", { op: ">=", value: 200, unit: "人次" }],
    ["不少于150名", { op: ">=", value: 150, unit: "名" }],
    ["90%以上", { op: ">=", value: 90, unit: "%" }],
    ["重要活动30场次", { op: "=", value: 30, unit: "场次" }],
    ["20篇新闻宣传", { op: "=", value: 20, unit: "篇" }],
    ["300万册次以上", { op: ">=", value: 300, unit: "万册次" }],
    ["不高于2.3万吨", { op: "<=", value: 2.3, unit: "万吨" }],
    ["不超过5家", { op: "<=", value: 5, unit: "家" }],
    ["3天以内", { op: "<=", value: 3, unit: "天" }],
    ["≥3人&&≤5人", { op: "between", min: 3, max: 5, unit: "人" }],
    ["≥5家&&≤6家", { op: "between", min: 5, max: 6, unit: "家" }],
    ["≥１０个", { op: ">=", value: 10, unit: "个" }],
    ["50吨/日", { op: "=", value: 50, unit: "吨/日" }],
    ["1200平方米", { op: "=", value: 1200, unit: "平方米" }],
  ])("%s", (text, parsed) => {
    expect(parseTarget(text)).toEqual(parsed);
  });

  it.each(["良好", "有经济效益", "提升", "按时完成", "制度健全，执行力强"])("%s is qualitative", (text) => {
    expect(parseTarget(text)).toBeNull();
  });

  it("reads one & between a lower and an upper bound as a range (a scan's && read as one), else not", () => {
    expect(parseTarget("≥28篇&≤36篇")).toEqual({ op: "between", min: 28, max: 36, unit: "篇" });
    expect(parseTarget("≤10天＆≥2天")).toEqual({ op: "between", min: 2, max: 10, unit: "天" });
    expect(parseTarget("≥28篇&≥36篇")?.op).not.toBe("between");
  });

  it("keeps min > max for the validator to flag", () => {
    expect(parseTarget("≥6人&&≤3人")).toEqual({ op: "between", min: 6, max: 3, unit: "人" });
  });
});

describe("money, dates, year", () => {
  it.each([
    ["4100000", 4100000],
    ["4,100,000", 4100000],
    ["4100000.00", 4100000],
    ["４１０００００", 4100000],
    ["410万", 4100000],
    ["41.5万元", 415000],
  ])("money %s", (text, value) => expect(parseMoney(text)).toBe(value));
  it.each(["", "四百万", "4100000元整", "1.234", "12a"])("money %s is unreadable", (text) =>
    expect(parseMoney(text)).toBeNull(),
  );
  it.each([
    ["2018年1月1日", "2018-01-01"],
    ["2018年12月31日", "2018-12-31"],
    ["2018-1-1", "2018-01-01"],
    ["2018.06.30", "2018-06-30"],
    ["２０１８年２月３日", "2018-02-03"],
  ])("date %s", (text, iso) => expect(parseDate(text)).toBe(iso));
  it.each(["2018年2月30日", "2018年1月", "明年", "18年1月1日"])("date %s is unreadable", (text) =>
    expect(parseDate(text)).toBeNull(),
  );
  it("year", () => {
    expect(parseYear("(2018年)")).toBe(2018);
    expect(parseYear("（2018年）")).toBe(2018);
  });
});

describe("text normalization", () => {
  it("maps Kangxi radicals and supplements to unified ideographs, and nothing else", () => {
    expect(normalizeCompatIdeographs("上海市财政⽀出项⽬绩效⽬标，⻓三⻆")).toBe(
      "上海市财政支出项目绩效目标，长三角",
    );
    expect(normalizeCompatIdeographs("，：（元）")).toBe("，：（元）");
  });
  it("joins CJK lines without a space and Latin words with one", () => {
    expect(joinLines(["提高学会提供公共科", "技服务产品"])).toBe("提高学会提供公共科技服务产品");
    expect(joinLines(["see the", "report"])).toBe("see the report");
    expect(joinLines(["建设。 ", "2、组织"])).toBe("建设。 2、组织");
  });
  it("drops <p> tags and keeps the cell's own punctuation", () => {
    expect(cleanFreeText("<p>一、自贸区</p> <p>完善,细化</p>")).toBe("一、自贸区 完善,细化");
  });
  it("matches labels across width, spaces and wrapping", () => {
    expect(labelKey("项目总预算(元)")).toBe(labelKey("项目总预算（元）"));
    expect(labelKey("项目当年投入 资金构成")).toBe(labelKey("项目当年投入资金构成"));
  });
});
