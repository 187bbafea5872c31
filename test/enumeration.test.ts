import { describe, expect, it } from "vitest";
import { restoreEnumeration } from "../src/ocr/enumeration.js";

/**
 * Readings of generated corpus forms scanned at 150 dpi and photocopied (bench:accuracy's wrong
 * long texts), each beside the printed text: the list's numbering restores its `、` and `；`.
 */
describe("a numbered list's dropped 、 and its ； read as ：", () => {
  it.each([
    [
      "12018年1月—3月：制定方案，完成采购：22018年4月—9月：全面实施；3、2018年10月：开展检查：42018年12月：完成",
      "1、2018年1月—3月：制定方案，完成采购；2、2018年4月—9月：全面实施；3、2018年10月：开展检查；4、2018年12月：完成",
    ],
    [
      "依据：1、重点工作安排：2、《上海市基础教育条例》第48条；3、《管理办法》（国办发〔2016〕43号）：4、《上",
      "依据：1、重点工作安排；2、《上海市基础教育条例》第48条；3、《管理办法》（国办发〔2016〕43号）；4、《上",
    ],
    [
      "1、第一季度完成培训：2第二、三季度全面推进；3、第四季度开展总结。",
      "1、第一季度完成培训；2、第二、三季度全面推进；3、第四季度开展总结。",
    ],
    [
      "1服务对象满意度达到90%以上；2按期完成维护；3资金使用合规；",
      "1、服务对象满意度达到90%以上；2、按期完成维护；3、资金使用合规；",
    ],
    [
      "依据：(1)工作部署；（2）《通知》（沪委办发〔2014〕16号）：（3）《关于",
      "依据：(1)工作部署；（2）《通知》（沪委办发〔2014〕16号）；（3）《关于",
    ],
    [
      "包括：（一）研修班：（二）设备购置（数控、电工）；（三）研修班",
      "包括：（一）研修班；（二）设备购置（数控、电工）；（三）研修班",
    ],
  ])("%s", (read, printed) => {
    expect(restoreEnumeration(read)).toBe(printed);
  });

  it("keeps a line break where it fell", () => {
    expect(restoreEnumeration("1、开展活动。2开展\u0000培训：3\u0000、总结")).toBe(
      "1、开展活动。2、开展\u0000培训；3\u0000、总结",
    );
  });

  it("leaves numbers that count something, a first item's colon and text with no list alone", () => {
    for (const text of [
      "依据：1、《条例》；2、《办法》",
      "完成3个项目：2、3月份开展培训；12月底前完成。",
      "时间：2018年1月1日；主要内容：3项任务",
      "服务对象约6.8万人：1年内完成",
      "第一阶段：2018年3月；第二阶段：2018年6月",
    ])
      expect(restoreEnumeration(text)).toBe(text);
  });
});
