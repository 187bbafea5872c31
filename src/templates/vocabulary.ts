/**
 * Measure words a target's number may carry, longest first so `人次` wins over `人`; both families
 * read targets by the same rules. `万`/`亿` prefixes and a `次` suffix are composed in `parseTarget`.
 */
export const MEASURE_WORDS: readonly string[] = [
  "平方米 立方米 公里 千米 公顷 吨/日 吨/年 人/年 小时 分钟 课时 学时",
  "个月 台套 场次 人次 户次 台次 批次 车次 架次 班次 册次 篇次",
  "期次 家次 % ‰ 元 人 个 家 名 所 幢 座",
  "台 件 处 项 起 张 种 篇 场 天 次 期",
  "部 册 本 套 份 条 批 户 吨 米 亩 辆",
  "年 月 日 周 季 届 门 节 位 支 株 棵",
  "只 头 间 床 款 集 章 页 组 队 轮 票",
  "单 例 类 点 道 块 字",
]
  .join(" ")
  .split(" ");

/**
 * A cell is "cut off" when its text ends mid-sentence at (or near) the cell's capacity.
 * The seed's cut long texts run 124–215 characters and its cut targets 37–39; complete
 * ones end with `。` or are short phrases (`制度健全，执行力强`), hence these lengths.
 */
export const TRUNCATION = {
  /** A long-text cell this long that ends mid-sentence is treated as cut off. */
  minTextLength: 40,
  /** A target cell this long that ends mid-sentence is treated as cut off. */
  minTargetLength: 20,
  /** Characters that end a sentence or a complete item. */
  terminalChars: "。．.！!？?；;…）)》」』”’】〕",
} as const;
