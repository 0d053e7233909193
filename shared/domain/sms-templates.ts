// How every message template of messages.ts is registered with a mainland SMS provider (Aliyun SMS, 通知短信):
// the template text as submitted for review, with ${var} variables, its TemplateCode, and the rules each
// variable's value must keep. Carriers deliver only registered templates, and Aliyun refuses a send whose
// variables break the rules, so the rules are checked here, before a message leaves, and by the unit test
// with the largest values the platform produces — not discovered in production.

import type { TemplateName, TemplateParams } from './messages.ts';

/** Aliyun's default limit for one variable of a notification template (applications since 2018-01-10). */
export const MAX_VARIABLE_LENGTH = 35;
/** A template's text, variables included, may not exceed 500 characters. */
export const MAX_TEMPLATE_LENGTH = 500;

/**
 * The 变量属性 each variable is registered with: `number` 其他号码 (ids and codes), `money` 金额, `time` 时间
 * (hh:mm), `text` 其他 (names, dates, free text). Dates such as 12月31日 are not among the documented 时间
 * formats (YYYYMMDD, YYYY-MM-DD, hh:mm …), so they are registered as `text`.
 */
export type VariableKind = 'text' | 'number' | 'money' | 'time';

export type SmsVariable = {
  kind: VariableKind;
  maxLength: number;
  /** Derives the value from the platform's parameters; by default the parameter of the same name. */
  from?: (params: TemplateParams) => string;
};

export type SmsTemplateRegistration = {
  /** 模板内容 exactly as submitted for review; the signature 【…】 is added by the provider. */
  text: string;
  variables: Record<string, SmsVariable>;
};

export type ParamRule = 'missing' | 'too-long' | 'link' | 'signature-brackets' | 'control-characters' | 'format';

/** A value the provider would refuse (isv.TEMPLATE_PARAMS_ILLEGAL): the message is not sent. */
export class SmsTemplateParamError extends Error {
  override readonly name = 'SmsTemplateParamError';
  /** The same values would be refused again: the message fails at once. */
  readonly retryable = false;
  constructor(
    readonly template: TemplateName,
    readonly variable: string,
    readonly rule: ParamRule,
  ) {
    super(`SMS template ${template}: variable ${variable} breaks the provider's rule "${rule}"`);
  }
}

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|cn|net|org|gov|edu|info|top|xyz|site|vip|shop|cc|me|io)\b)/i;
const SIGNATURE_BRACKETS = /[【】]/;
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const FORMATS: Record<VariableKind, RegExp> = {
  text: /\S/,
  number: /^[A-Za-z0-9-]+$/,
  money: /^\d+(\.\d{1,2})?$/,
  time: /^([01]\d|2[0-3]):[0-5]\d$/,
};

const length = (value: string) => [...value].length;

/** The first rule `value` breaks, or null. Links are looked for after NFKC, so full-width ｗｗｗ． counts. */
function brokenRule(value: string, variable: SmsVariable): ParamRule | null {
  if (value === '') return 'missing';
  if (length(value) > Math.min(variable.maxLength, MAX_VARIABLE_LENGTH)) return 'too-long';
  if (CONTROL.test(value)) return 'control-characters';
  if (SIGNATURE_BRACKETS.test(value)) return 'signature-brackets';
  if (LINK.test(value.normalize('NFKC'))) return 'link';
  if (!FORMATS[variable.kind].test(value)) return 'format';
  return null;
}

const param = (params: TemplateParams, name: string) => (params[name] === undefined ? '' : String(params[name]));

/**
 * Free text someone typed (a staff comment, a notice title) can hold anything; residents read it in full in
 * the app. 【】 would pass for a second signature, so they become （）; line breaks become spaces. Text that
 * still cannot be sent, or is too long, becomes `fallback` — or, for a title, is shortened with "…".
 */
function freeText(name: string, maxLength: number, overflow: 'shorten' | 'fallback', fallback: string) {
  return (params: TemplateParams): string => {
    const value = param(params, name)
      .replaceAll('【', '（')
      .replaceAll('】', '）')
      .replace(/\s+/g, ' ')
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .trim();
    const variable: SmsVariable = { kind: 'text', maxLength };
    if (value === '') return fallback;
    if (overflow === 'shorten' && length(value) > maxLength) {
      const shortened = `${[...value].slice(0, maxLength - 1).join('')}…`;
      return brokenRule(shortened, variable) === null ? shortened : fallback;
    }
    return brokenRule(value, variable) === null ? value : fallback;
  };
}

/** What apply-decision already says when a return or rejection comes without a reason: see the case. */
const SEE_CASE = '详见办件说明';

const text = (maxLength = MAX_VARIABLE_LENGTH): SmsVariable => ({ kind: 'text', maxLength });
const number = (maxLength = 20): SmsVariable => ({ kind: 'number', maxLength });
const MATTER = text(20);
const CASE_ID = number();
const DATE = text(12);
const NOTICE_TITLE: SmsVariable = { ...text(), from: freeText('title', MAX_VARIABLE_LENGTH, 'shorten', '详见通知全文') };
const JOB_EMPLOYER: SmsVariable = { ...text(20), from: freeText('employer', 20, 'shorten', '用人单位') };
const JOB_TITLE: SmsVariable = { ...text(20), from: freeText('title', 20, 'shorten', '所报') };

export const SMS_TEMPLATES: Record<TemplateName, SmsTemplateRegistration> = {
  'case-accepted': {
    text: '您的${matter}事项已受理，编号${caseId}，预计${dueDate}前审核完成。',
    variables: { matter: MATTER, caseId: CASE_ID, dueDate: DATE },
  },
  'case-returned': {
    text: '您的${matter}事项（编号${caseId}）需补充材料：${missing}。请登录补交。',
    variables: {
      matter: MATTER,
      caseId: CASE_ID,
      // A list of material names, or a caseworker's comment of up to 500 characters.
      missing: { ...text(), from: freeText('missing', MAX_VARIABLE_LENGTH, 'fallback', SEE_CASE) },
    },
  },
  'case-approved': {
    text: '您的${matter}事项（编号${caseId}）已审核通过。',
    variables: { matter: MATTER, caseId: CASE_ID },
  },
  // A matter that needs a visit: the result is picked up at the centre that handled the case.
  'case-approved-collect': {
    text: '您的${matter}事项（编号${caseId}）已审核通过，请携带身份证到${centre}窗口领取办理结果。',
    variables: { matter: MATTER, caseId: CASE_ID, centre: text(20) },
  },
  'case-rejected': {
    text: '您的${matter}事项（编号${caseId}）未通过审核：${reason}。',
    variables: {
      matter: MATTER,
      caseId: CASE_ID,
      // A shortened reason could say the opposite of the full one: too long a reason points to the case.
      reason: { ...text(), from: freeText('reason', MAX_VARIABLE_LENGTH, 'fallback', SEE_CASE) },
    },
  },
  'case-failed': {
    text: '您的${matter}事项（编号${caseId}）处理异常，工作人员将尽快联系您。',
    variables: { matter: MATTER, caseId: CASE_ID },
  },
  'task-opened': {
    text: '新待办：${matter}事项${caseId}待${role}审批，请于${dueDate}前处理。',
    variables: { matter: MATTER, caseId: CASE_ID, role: text(10), dueDate: DATE },
  },
  'task-escalated': {
    text: '超时提醒：${matter}事项${caseId}的${role}审批已超过期限${dueDate}，请督办。',
    variables: { matter: MATTER, caseId: CASE_ID, role: text(10), dueDate: DATE },
  },
  'rating-follow-up': {
    text: '差评回访：${matter}事项${caseId}获评“${label}”，请于${dueDate}前回访处理。',
    variables: { matter: MATTER, caseId: CASE_ID, label: text(10), dueDate: DATE },
  },
  // Reviewers refuse variables that touch (组合变量), so period, kind and amount are parted by fixed text.
  'bill-paid': {
    text: '您${period}的${kind}已缴纳成功，金额${amount}元，收据号${receiptNo}。',
    variables: { period: text(12), kind: text(10), amount: { kind: 'money', maxLength: 12 }, receiptNo: number(24) },
  },
  'bill-due': {
    text: '您${period}的${kind}将于${dueDate}到期，金额${amount}元，请及时缴纳。',
    variables: { period: text(12), kind: text(10), dueDate: DATE, amount: { kind: 'money', maxLength: 12 } },
  },
  'appointment-booked': {
    text: '您已预约${window}窗口，日期${date}，时段${time}，号码${ticket}，请携带身份证按时到社区服务中心办理。',
    variables: { window: text(12), date: DATE, time: { kind: 'time', maxLength: 5 }, ticket: number(8) },
  },
  'appointment-reminder': {
    text: '提醒：您明天在${window}窗口有预约，日期${date}，时段${time}，号码${ticket}，请携带身份证按时到场。',
    variables: { window: text(12), date: DATE, time: { kind: 'time', maxLength: 5 }, ticket: number(8) },
  },
  // A notice's body (up to 500 characters) cannot be a 35-character variable, and a template that is mostly
  // variables is refused at review: the SMS says what kind of notice and its title, the body stays in the app.
  'notice-published': {
    text: '您所在社区发布${kindName}：${title}。详情请登录智慧社区查看通知全文。',
    variables: {
      kindName: text(8),
      title: NOTICE_TITLE,
    },
  },
  'queue-near-turn': {
    text: '您在${window}窗口的号码${ticket}前面还有${ahead}位，请到等候区留意叫号。',
    variables: { window: text(12), ticket: number(8), ahead: number(3) },
  },
  // An outage or a weather alert always goes by SMS and at any hour, unlike a community notice, so it is a
  // template of its own (messages.ts, TEMPLATE_CLASSES), registered with words that ask residents to prepare.
  'emergency-notice': {
    text: '您所在社区发布${kindName}：${title}。请及时查看通知全文并做好准备。',
    variables: { kindName: text(8), title: NOTICE_TITLE },
  },
  // Employer and title are what a clerk typed: shortened with … to fit, as a notice title is.
  'job-application-status': {
    text: '您应聘的${title}岗位（用人单位：${employer}）有新进展：${step}。详情请登录智慧社区查看。',
    variables: { employer: JOB_EMPLOYER, title: JOB_TITLE, step: text(12) },
  },
  // Sent to the inbox only (messages.ts), registered all the same: every resident template is.
  'job-posted': {
    text: '${centre}发布了新岗位：${title}，用人单位${employer}，报名截止${closesOn}。详情请登录智慧社区查看。',
    variables: { centre: text(20), employer: JOB_EMPLOYER, title: JOB_TITLE, closesOn: DATE },
  },
};

/** The placeholder TemplateCode under which a template is known until the deployment configures Aliyun's. */
export const defaultTemplateCode = (template: TemplateName) => `SMS_${template.toUpperCase().replaceAll('-', '_')}`;

export function templateCodeFor(template: TemplateName, overrides: Partial<Record<TemplateName, string>> = {}): string {
  return overrides[template] ?? defaultTemplateCode(template);
}

/** The TemplateParam object for SendSms, or SmsTemplateParamError for the first value Aliyun would refuse. */
export function templateParam(template: TemplateName, params: TemplateParams): Record<string, string> {
  const variables = Object.entries(SMS_TEMPLATES[template].variables);
  const values = Object.fromEntries(variables.map(([name, variable]) => [name, variable.from ? variable.from(params) : param(params, name)]));
  for (const [name, variable] of variables) {
    const rule = brokenRule(values[name]!, variable);
    if (rule !== null) throw new SmsTemplateParamError(template, name, rule);
  }
  return values;
}

/** The variables of a registered text, in order of appearance. */
export const templateVariables = (text: string) => [...text.matchAll(/\$\{(\w*)\}/g)].map((m) => m[1]!);

/** The message body as the provider composes it from the registered text (without the signature). */
export const renderRegistered = (text: string, values: Record<string, string>) =>
  text.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

const RESERVED_VARIABLE_NAMES = ['email', 'mobile', 'id', 'nick', 'site'];
const SPECIAL_SYMBOLS = /[【】「」『』〖〗★※→•#¥²①-⑳]/;

/**
 * Why Aliyun's review would refuse a registration (通知短信模板规范): 【】 anywhere (they mark the signature),
 * special symbols, more than 500 characters, a text that is only variables or has variables touching each
 * other, a variable used twice, a variable name that is not letters/digits/_ starting with a letter or is
 * reserved, or variables that do not match the declared ones.
 */
export function registrationProblems(registration: SmsTemplateRegistration): string[] {
  const problems: string[] = [];
  const names = templateVariables(registration.text);
  const fixed = registration.text.replace(/\$\{\w*\}/g, '');
  if (SPECIAL_SYMBOLS.test(fixed)) problems.push('a special symbol or 【】 in the fixed text');
  if (length(registration.text) > MAX_TEMPLATE_LENGTH) problems.push(`longer than ${MAX_TEMPLATE_LENGTH} characters`);
  if (fixed.replace(/[\s\p{P}]/gu, '') === '') problems.push('only variables');
  if (/\}\s*\$\{/.test(registration.text)) problems.push('variables side by side');
  if (new Set(names).size !== names.length) problems.push('a variable used twice');
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,24}$/.test(name) || RESERVED_VARIABLE_NAMES.includes(name.toLowerCase())) problems.push(`variable name ${name}`);
  }
  const declared = Object.keys(registration.variables);
  if ([...names].sort().join() !== [...declared].sort().join()) problems.push(`variables ${names.join(',')} ≠ declared ${declared.join(',')}`);
  for (const [name, variable] of Object.entries(registration.variables)) {
    if (variable.maxLength > MAX_VARIABLE_LENGTH) problems.push(`${name} allows more than ${MAX_VARIABLE_LENGTH} characters`);
  }
  return problems;
}
