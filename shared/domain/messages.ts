// SMS and e-mail templates (zh-CN). Every placeholder must be given: a message with a hole in it is a bug,
// not something to send. A Chinese SMS is 【signature】 + body, billed in segments of 70 characters, or of
// 67 each once it needs more than one. No template takes an ID number or a task token.

export const SMS_SIGNATURE = '【智慧社区】';

export const TEMPLATES = {
  'case-accepted': '您的{matter}事项已受理，编号{caseId}，预计{dueDate}前审核完成。',
  'case-returned': '您的{matter}事项（编号{caseId}）需补充材料：{missing}。请登录补交。',
  'case-approved': '您的{matter}事项（编号{caseId}）已审核通过。',
  'case-approved-collect': '您的{matter}事项（编号{caseId}）已审核通过，请携带身份证到{centre}窗口领取办理结果。',
  'case-rejected': '您的{matter}事项（编号{caseId}）未通过审核：{reason}。',
  'case-failed': '您的{matter}事项（编号{caseId}）处理异常，工作人员将尽快联系您。',
  'task-opened': '新待办：{matter}事项{caseId}待{role}审批，请于{dueDate}前处理。',
  'task-escalated': '超时提醒：{matter}事项{caseId}的{role}审批已超过期限{dueDate}，请督办。',
  'rating-follow-up': '差评回访：{matter}事项{caseId}获评“{label}”，请于{dueDate}前回访处理。',
  'bill-paid': '您{period}{kind}{amount}元已缴纳成功，收据号{receiptNo}。',
  'bill-due': '您{period}{kind}{amount}元将于{dueDate}到期，请及时缴纳。',
  'appointment-booked': '您已预约{date}{time}{window}窗口，号码{ticket}，请携带身份证按时到社区服务中心办理。',
  'appointment-reminder': '提醒：您明天{date}{time}在{window}窗口有预约，号码{ticket}，请携带身份证按时到场。',
  'notice-published': '{kindName}「{title}」{body}',
  'queue-near-turn': '您在{window}窗口的号码{ticket}前面还有{ahead}位，请到等候区留意叫号。',
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateParams = Record<string, string | number>;

export function placeholders(template: TemplateName): string[] {
  return [...TEMPLATES[template].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

export function render(template: TemplateName, params: TemplateParams): string {
  const missing = placeholders(template).filter((name) => params[name] === undefined || params[name] === '');
  if (missing.length > 0) throw new Error(`Template ${template} is missing ${missing.join(', ')}`);
  return TEMPLATES[template].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}

export function smsText(body: string): string {
  return `${SMS_SIGNATURE}${body}`;
}

/** Billed segments of a Chinese SMS: one up to 70 characters, else 67 characters each. */
export function smsSegments(text: string): number {
  const length = [...text].length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** A business date as residents read it in an SMS: 2026-12-03 → 12月3日. */
export function dateForSms(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
