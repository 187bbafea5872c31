import type { Cmd } from "../../scripts/fixtures/layout.js";
import { createWriter } from "../../scripts/fixtures/pdf-writer.js";

/**
 * A one-page text-layer PDF of a 项目支出绩效目标申报表 (the mof-project family, shared spec
 * `form-mof-project.md`): title, year and a ruled table, drawn as the fixture script draws forms.
 */

const LEFT = 50;
const WIDTH = 495;
const ROW_H = 24;
const SIZE = 10;

/** Rows of cells, each `[text, share of the table's width]`; shares of a row add up to 1. */
const ROWS: Array<Array<[string, number]>> = [
  [
    ["项目名称", 0.2],
    ["教师专业发展培训", 0.8],
  ],
  [
    ["主管部门及代码", 0.2],
    ["上海市某区教育局（301）", 0.3],
    ["实施单位", 0.15],
    ["某区教师进修学院", 0.35],
  ],
  [
    ["项目属性", 0.2],
    ["新增项目□ 延续项目√", 0.3],
    ["项目期", 0.15],
    ["1年", 0.35],
  ],
  [
    ["项目资金（万元）", 0.2],
    ["年度资金总额", 0.3],
    ["120.5", 0.5],
  ],
  [
    ["", 0.2],
    ["其中：财政拨款", 0.3],
    ["100", 0.5],
  ],
  [
    ["", 0.2],
    ["其他资金", 0.3],
    ["20.5", 0.5],
  ],
  [
    ["年度总体目标", 0.2],
    ["目标1：完成区内教师全员培训。", 0.8],
  ],
  [
    ["绩效指标", 0.2],
    ["一级指标", 0.2],
    ["二级指标", 0.2],
    ["三级指标", 0.2],
    ["指标值", 0.2],
  ],
  [
    ["", 0.2],
    ["产出指标", 0.2],
    ["数量指标", 0.2],
    ["举办培训班", 0.2],
    ["≥20期", 0.2],
  ],
  [
    ["", 0.2],
    ["满意度指标", 0.2],
    ["服务对象满意度指标", 0.2],
    ["参训教师满意度", 0.2],
    ["≥90%", 0.2],
  ],
  [
    ["备注", 0.2],
    ["", 0.8],
  ],
];

export async function mofProjectPdf(): Promise<Uint8Array> {
  const writer = await createWriter("embedded", "mof-project form");
  const cmds: Cmd[] = [
    { op: "text", x: 190, y: 70, text: "项目支出绩效目标申报表", size: 16, font: "cjk" },
    { op: "text", x: 250, y: 95, text: "（2018年度）", size: 11, font: "cjk" },
  ];
  const top = 120;
  const line = (x0: number, y0: number, x1: number, y1: number) =>
    cmds.push({ op: "line", x0, y0, x1, y1, width: 0.8 });
  ROWS.forEach((cells, r) => {
    const y = top + r * ROW_H;
    line(LEFT, y, LEFT + WIDTH, y);
    let x = LEFT;
    for (const [text, share] of cells) {
      line(x, y, x, y + ROW_H);
      if (text) cmds.push({ op: "text", x: x + 4, y: y + 16, text, size: SIZE, font: "cjk" });
      x += share * WIDTH;
    }
    line(LEFT + WIDTH, y, LEFT + WIDTH, y + ROW_H);
  });
  line(LEFT, top + ROWS.length * ROW_H, LEFT + WIDTH, top + ROWS.length * ROW_H);
  return writer.write([{ cmds }]);
}
