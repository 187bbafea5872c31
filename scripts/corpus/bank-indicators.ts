/**
 * Indicators every domain shares (投入和管理目标, 影响力目标, some 效果目标) and the wording of
 * qualitative targets. Rows as in bank-types.ts.
 */

export const INPUT_INDICATORS = [
  "资金到位率|rate",
  "预算执行率|rate",
  "资金使用合规性|qual",
  "管理制度健全性|qual",
  "项目管理规范性|qual",
  "人员投入|count|人|3|20",
  "政府采购执行率|rate",
  "财务监控有效性|qual",
  "档案资料完整率|rate",
  "项目实施进度|qual",
  "专项资金使用|qual",
  "人员投入|longqual",
  "管理制度|longqual",
];

export const IMPACT_INDICATORS = [
  "长效管理机制|qual",
  "可持续影响|qual",
  "社会公众满意度|rate",
  "媒体报道|count|篇|5|40",
  "示范引领作用|qual",
  "部门协作机制|qual",
  "信息公开|qual",
  "服务对象满意度|rate",
  "宣传报道|count|篇|10|60||新闻宣传",
  "创新环境|count|场次|10|50|重要活动|",
  "社会关注度|count|万人次|1|50|网络点击量|",
  "示范推广|count|个|3|20|形成典型案例|",
  "经验推广|count|篇|2|10||典型经验材料",
];

export const EFFECT_INDICATORS = [
  "社会效益|qual",
  "经济效益|qual",
  "群众知晓率|rate",
  "投诉办结率|rate",
  "带动社会投资|money|亿元|1|20",
  "受益人群|count|万人|1|80|惠及|",
  "举办培训|count|期|4|20||培训班",
];

/** Short qualitative targets by category. */
export const QUAL_TARGETS: Record<string, string[]> = {
  投入和管理目标: [
    "良好",
    "健全",
    "规范",
    "到位",
    "合规",
    "按时完成",
    "专款专用",
    "制度健全，执行力强",
    "按计划推进",
    "符合相关规定",
    "有效",
  ],
  产出目标: ["按时完成", "保质保量完成", "达到验收标准", "符合设计要求", "全覆盖"],
  效果目标: [
    "有效提升",
    "明显改善",
    "群众满意",
    "有经济效益",
    "显著提高",
    "逐步提高",
    "得到改善",
    "较上年提高",
  ],
  影响力目标: [
    "建立健全",
    "持续发挥作用",
    "形成长效机制",
    "良好",
    "较好",
    "有一定影响",
    "受众认可",
    "可持续",
  ],
};

/**
 * Long qualitative targets (20+ characters), as the seed prints for 人员投入 and 管理制度: they end
 * with `。` when complete; the generator sometimes cuts one mid-sentence, as the source system did.
 * `{staff}` is a number the spec's rules read (`不少于6人` → `>=` 6 `人`, as seed form 4 has it).
 */
export const LONG_QUAL_TARGETS = [
  "由{app}分管领导作为项目总负责人，业务处室负责项目策划和组织实施，财务部门负责资金监管。",
  "人员投入不少于{staff}人，由{app}相关处室和事业单位业务骨干组成项目工作组。",
  "严格执行相关管理办法，符合相关制度规定，项目资金专款专用、单独核算。",
  "依照《{field}项目管理办法》《专项资金管理办法》的要求，按时保质完成各项工作。",
  "按照各级主管部门和单位内部相关规章制度，严格、规范进行项目管理和经费使用。",
  "项目实施过程中建立周报、月报制度，及时掌握项目进展情况，确保按计划完成。",
];
