/**
 * The one registry of codes users see: flags on a form, errors on a file or page, and the API's
 * answers. Each says what it is about, how bad it is (severity or HTTP status), whether the queue
 * retries it, and its doc line; src/flags.ts, src/errors.ts and the server derive from it, and
 * test/registry.test.ts holds docs/codes.md to it both ways.
 */

export type Severity = "error" | "warning" | "info";

/**
 * What a code is about: `form` a value in a form (a flag), `input` a file that cannot be read,
 * `page` one page of it, `transient` an outage a retry outlives, `internal` a bug or crashed
 * worker, `request` an API request refused.
 */
export type CodeClass = "form" | "input" | "page" | "transient" | "internal" | "request";

interface FlagDef {
  class: "form";
  severity: Severity;
  doc: string;
  /** What the reviewer is told, in Chinese (the review page, docs/codes.md's last column). */
  zh: string;
}
interface ErrorDef {
  class: "input" | "page" | "transient" | "internal";
  /** The queue retries the job (with backoff) or ends it as BullMQ's UnrecoverableError. */
  retry: boolean;
  /** The status the API answers with when this code is why a request failed. */
  status: number;
  doc: string;
  zh: string;
}
interface ResponseDef {
  class: "request";
  status: number;
  doc: string;
  zh: string;
}

const flag = (severity: Severity, doc: string, zh: string) => ({ class: "form", severity, doc, zh }) as const;
const input = (doc: string, zh: string, status = 422) =>
  ({ class: "input", retry: false, status, doc, zh }) as const;
const page = (doc: string, zh: string, status = 422) =>
  ({ class: "page", retry: false, status, doc, zh }) as const;
const transient = (doc: string, zh: string, status = 503) =>
  ({ class: "transient", retry: true, status, doc, zh }) as const;
const request = (status: number, doc: string, zh: string) => ({ class: "request", status, doc, zh }) as const;

export const FLAGS = {
  SUBPROJECT_SUM_MISMATCH: flag(
    "error",
    "sub-project amounts do not add up to currentYearBudget",
    "子项目金额合计与项目当年预算不符",
  ),
  CURRENT_EXCEEDS_TOTAL: flag("error", "currentYearBudget > totalBudget", "项目当年预算超过项目总预算"),
  EXECUTED_EXCEEDS_PRIOR: flag(
    "warning",
    "priorYearExecuted > priorYearBudget",
    "上年预算执行数超过上年预算额",
  ),
  DATE_ORDER: flag("error", "endDate before startDate", "结束时间早于开始时间"),
  DATE_OUTSIDE_YEAR: flag("warning", "a date outside the declared year", "日期不在申报年度内"),
  CHECKBOX_NONE: flag("error", "no option checked in projectType or fundUse", "勾选栏一项也没有勾选"),
  CHECKBOX_MULTIPLE: flag("warning", "more than one option checked in a group", "同一栏勾选了不止一项"),
  TRUNCATED_TEXT: flag(
    "info",
    "a text or target cell was cut off and could not be recovered (the paper cut it: nothing for a reviewer to fix)",
    "文字在格内被截断且无法恢复（纸面本身截断，审核人无需处理）",
  ),
  RECOVERED_CLIPPED_TEXT: flag(
    "info",
    "text hidden by the cell's clip was recovered from the text layer",
    "被格子遮住的文字已从文本层恢复",
  ),
  MISSING_FIELD: flag(
    "error",
    "a required field is empty or was not found; an optional one whose row was not found; an indicator with no category",
    "必填项为空或未找到，或指标行缺少类别",
  ),
  UNPARSEABLE_VALUE: flag(
    "error",
    "a money, date or year value cannot be read as one",
    "金额、日期或年度无法识别",
  ),
  LOW_CONFIDENCE: flag(
    "warning",
    "OCR confidence under the configured threshold, or a value the scan shows that was not read (a checkbox group with no box found)",
    "识别置信度低于阈值，请对照原件核对",
  ),
  CROSS_CHECK_UNSURE: flag(
    "warning",
    "a cross-check (a sum, an order, a limit, a checkbox group) fails only with a value OCR is unsure of (LOW_CONFIDENCE on it): likely a misreading; the check's own error comes back once a reviewer confirms the value",
    "交叉校验未通过，但所涉数值识别把握不足，可能是识别错误；核对该数值后将重新校验",
  ),
  TARGET_RANGE_INVALID: flag("error", "a between target with min > max", "区间目标值的下限大于上限"),
  UNKNOWN_LABEL: flag("warning", "a row label that the template does not know", "表单模板中没有的行标签"),
  FUNDS_SUM_MISMATCH: flag(
    "error",
    "the parts of a funds total do not add up to it (fiscal + other != total)",
    "资金各项之和与总额不符（财政拨款 + 其他资金 ≠ 年度资金总额）",
  ),
  INDICATOR_LEVEL_INVALID: flag(
    "warning",
    "a sub-level printed under a level it is not one of the standard levels of",
    "二级指标不是该一级指标下的标准指标",
  ),
} as const satisfies Record<string, FlagDef>;

export const ERRORS = {
  NOT_A_PDF: input("a .pdf file without a %PDF- header", "不是 PDF 文件"),
  ENCRYPTED_PDF: input("the PDF needs a password", "PDF 已加密（需要密码）"),
  DAMAGED_PDF: input("pdf.js cannot parse the file (truncated, broken xref)", "PDF 已损坏，无法读取"),
  DAMAGED_IMAGE: input(
    "a PNG, JPEG or TIFF file that is empty, truncated or has no size in its header",
    "图像文件已损坏或不完整",
  ),
  EMPTY_DOCUMENT: input("the PDF has no pages, or nothing is drawn on any of them", "文件中没有内容"),
  NOT_A_FORM: input("the file was read but holds no form formex knows", "文件中没有可识别的表单"),
  UNSUPPORTED_INPUT: input(
    "neither a PDF, a scan image nor a text dump",
    "不支持的文件类型（请上传 PDF、PNG、JPEG、TIFF 或文本导出）",
  ),
  INPUT_TOO_LARGE: input("over --max-mb bytes or --max-pages pages", "文件太大（超过大小或页数上限）", 413),
  PAGE_TIMEOUT: page(
    "a page overran its time budget; the other pages are still read",
    "某页读取超时；其余页照常读取",
  ),
  NEEDS_OCR: page(
    "a page has no usable text layer and OCR is switched off",
    "某页没有可用的文字层，且未开启文字识别",
  ),
  OCR_FAILED: page(
    "OCR of a scanned page failed; the other pages are still read",
    "扫描页文字识别失败；其余页照常读取",
  ),
  PAGE_TOO_LARGE: page(
    "a page or image too large to render: refused before any memory is taken",
    "页面或图像尺寸过大",
  ),
  FILE_READ: transient("the file cannot be opened or read", "文件无法打开或读取", 415),
  DATABASE_UNAVAILABLE: transient(
    "PostgreSQL is down, restarting or unreachable",
    "数据库暂时不可用，请稍后重试",
  ),
  QUEUE_UNAVAILABLE: transient(
    "Redis is down, so a registered document could not be queued",
    "处理队列暂时不可用：文件已登记，请稍后重新上传",
  ),
  INTERNAL: {
    class: "internal",
    retry: true,
    status: 500,
    doc: "a bug or a crashed page worker",
    zh: "内部错误（详情见服务器日志）",
  },
} as const satisfies Record<string, ErrorDef>;

export const RESPONSES = {
  UNAUTHORIZED: request(
    401,
    "a token is configured and the request has none or a wrong one",
    "需要令牌：没有令牌或令牌不正确",
  ),
  BAD_HOST: request(403, "the Host header is not a name of the bound address", "此服务器不接受这个主机名"),
  CROSS_ORIGIN: request(403, "a POST from another site's page", "只接受来自本站页面的修改和上传"),
  NOT_FOUND: request(404, "no such route, document, form or page", "没有这个页面、文档、表单或页"),
  BAD_REQUEST: request(400, "a request the server cannot parse", "请求无法解析"),
  NO_FILE: request(400, "an upload without the multipart field file", "没有选择文件"),
  INVALID_EDIT: request(
    400,
    "a correction, row or dismissal the schema or plausibility checks refuse; an undo with nothing to undo",
    "修改被拒绝：值无法识别或不合理",
  ),
  STALE_EDIT: request(
    409,
    "a correction, row, dismissal, decision or undo made on an outdated version of the form",
    "表单已被他人修改，请重新载入后再改",
  ),
} as const satisfies Record<string, ResponseDef>;

export type FlagCode = keyof typeof FLAGS;
export type ErrorCode = keyof typeof ERRORS;
export type ResponseCode = keyof typeof RESPONSES;
export type Code = FlagCode | ErrorCode | ResponseCode;

/** Every code, by name: the registry the docs test reads. */
export const CODES: Readonly<Record<Code, FlagDef | ErrorDef | ResponseDef>> = {
  ...FLAGS,
  ...ERRORS,
  ...RESPONSES,
};

/** A code's Chinese explanation, as the reviewer reads it. */
export const zhOf = (code: Code): string => CODES[code].zh;

/** A retry can fix it (a file briefly unreadable, a crashed worker, an outage); every other code is final. */
export const isRetryable = (code: ErrorCode): boolean => ERRORS[code].retry;

/** The HTTP status the API answers with for a code. */
export const httpStatus = (code: ErrorCode | ResponseCode): number =>
  code in RESPONSES ? RESPONSES[code as ResponseCode].status : ERRORS[code as ErrorCode].status;
