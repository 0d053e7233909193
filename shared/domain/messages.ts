// Messages to residents and staff: the templates (zh-CN), how each one travels, and the message record a
// resident reads in their inbox. Every placeholder must be given: a message with a hole in it is a bug, not
// something to send. A Chinese SMS is 【signature】 + body, billed in segments of 70 characters, or of 67
// each once it needs more than one. No template takes an ID number or a task token.
//
// How a template travels (TEMPLATE_CLASSES): staff templates go to staff; a resident template either always
// goes by SMS (case results, appointment changes, emergency notices) or belongs to a kind the resident
// chooses `sms` or `inbox` for; and a non-urgent SMS is held during the quiet hours (21:00–08:00 Shanghai)
// until the morning.

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
  'emergency-notice': '{kindName}「{title}」{body}',
  'job-application-status': '您应聘的{title}岗位（用人单位：{employer}）：{step}。',
  'job-posted': '{centre}发布了新岗位：{title}，用人单位{employer}，报名截止{closesOn}。',
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateParams = Record<string, string | number>;

export function placeholders(template: TemplateName): string[] {
  return [...TEMPLATES[template].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** A message with a hole in it: a bug in the code that sends it, which no later attempt can mend. */
export class MessageTemplateError extends Error {
  override readonly name = 'MessageTemplateError';
  readonly retryable = false;
}

export function render(template: TemplateName, params: TemplateParams): string {
  const missing = placeholders(template).filter((name) => params[name] === undefined || params[name] === '');
  if (missing.length > 0) throw new MessageTemplateError(`Template ${template} is missing ${missing.join(', ')}`);
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

/** The kinds of message a resident chooses a channel for (PUT /me/preferences). */
export const MESSAGE_KINDS = ['billReminders', 'receipts', 'appointmentReminders', 'communityNotices'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** `inbox`: the message waits in the app (GET /me/messages) and costs no SMS. */
export const MESSAGE_CHANNELS = ['sms', 'inbox'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export type MessagePreferences = Record<MessageKind, MessageChannel>;

/** Until a resident says otherwise every kind goes by SMS, as it always did. */
export const DEFAULT_PREFERENCES: MessagePreferences = { billReminders: 'sms', receipts: 'sms', appointmentReminders: 'sms', communityNotices: 'sms' };

export type TemplateClass =
  | { audience: 'staff' }
  | {
      audience: 'resident';
      /** The kind whose preferred channel it takes; null: always an SMS, whatever the preferences. */
      kind: MessageKind | null;
      /** Urgent messages go at any hour; the others are held through the quiet hours. */
      urgent: boolean;
      /** What the reference names: staff see a case's messages beside the case. */
      about: 'case' | 'appointment' | 'bill' | 'notice' | 'job';
      /** Always to the inbox, whatever the preferences: news a resident did not ask for, worth no SMS. */
      inboxOnly?: true;
    };

const always = (about: 'case' | 'appointment' | 'notice' | 'job'): TemplateClass => ({ audience: 'resident', kind: null, urgent: true, about });
const staff: TemplateClass = { audience: 'staff' };

/**
 * Every template's class. Urgent are the messages a resident waits for or must act on: what happened to their
 * case, to their appointment, to a payment they just made, and emergencies. Reminders and community notices
 * are not: they are held through the night.
 */
export const TEMPLATE_CLASSES: Record<TemplateName, TemplateClass> = {
  'case-accepted': always('case'),
  'case-returned': always('case'),
  'case-approved': always('case'),
  'case-approved-collect': always('case'),
  'case-rejected': always('case'),
  'case-failed': always('case'),
  'task-opened': staff,
  'task-escalated': staff,
  'rating-follow-up': staff,
  'bill-paid': { audience: 'resident', kind: 'receipts', urgent: true, about: 'bill' },
  'bill-due': { audience: 'resident', kind: 'billReminders', urgent: false, about: 'bill' },
  'appointment-booked': always('appointment'),
  'appointment-reminder': { audience: 'resident', kind: 'appointmentReminders', urgent: false, about: 'appointment' },
  'notice-published': { audience: 'resident', kind: 'communityNotices', urgent: false, about: 'notice' },
  'emergency-notice': always('notice'),
  // The hall calls the number within minutes: it is news only now, so it goes by SMS at once.
  'queue-near-turn': always('appointment'),
  // An employer's answer is news the applicant acts on (a call to take, an interview to go to).
  'job-application-status': always('job'),
  // New postings for the centre's registered job seekers: many residents at once, so the inbox only.
  'job-posted': { audience: 'resident', kind: null, urgent: false, about: 'job', inboxOnly: true },
};

export type ResidentTemplateClass = Extract<TemplateClass, { audience: 'resident' }>;

export function residentClass(template: TemplateName): ResidentTemplateClass {
  const found = TEMPLATE_CLASSES[template];
  if (found.audience !== 'resident') throw new MessageTemplateError(`Template ${template} is for staff, not for a resident`);
  return found;
}

/** The channel a resident's message takes: SMS when it must, else the resident's choice for its kind. */
export function channelFor(template: TemplateName, preferences: MessagePreferences): MessageChannel {
  const { kind, inboxOnly } = residentClass(template);
  if (inboxOnly) return 'inbox';
  return kind === null ? 'sms' : preferences[kind];
}

/** Quiet hours in Shanghai (UTC+8 all year): from 21:00 until 08:00 the next morning. */
export const QUIET_HOURS = { fromHour: 21, untilHour: 8 } as const;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

/** The 08:00 that ends the quiet hours `at` falls in, or null when `at` is not in them. */
export function quietHoursEnd(at: Date): Date | null {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_HOURS.untilHour && hour < QUIET_HOURS.fromHour) return null;
  const morning = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), QUIET_HOURS.untilHour) - SHANGHAI_OFFSET_MS);
  return hour >= QUIET_HOURS.fromHour ? new Date(morning.getTime() + 24 * HOUR_MS) : morning;
}

/** When an SMS of this template may go out if it is due at `at`: then, or the morning for a non-urgent one at night. */
export function smsSendableAt(template: TemplateName, at: Date): Date {
  return residentClass(template).urgent ? at : (quietHoursEnd(at) ?? at);
}

export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const;
/** `queued` until handed to the provider; `sent` once it took it; `delivered` on its receipt (an inbox item at once). */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One message the platform sent a resident, on any channel, with what became of it. */
export type Message = {
  id: string;
  residentId: string;
  channel: MessageChannel;
  template: TemplateName;
  params: TemplateParams;
  /** What it is about: a case, appointment, bill or notice id. */
  reference: string;
  /** The phone an SMS goes to (E.164). */
  to?: string;
  status: MessageStatus;
  createdAt: string;
  /** A non-urgent SMS held through the quiet hours waits until then. */
  heldUntil?: string;
  sentAt?: string;
  deliveredAt?: string;
  failedAt?: string;
  /** Why it failed (or why its last attempt did): the provider's code and words. */
  reason?: string;
  /** The provider's id of the SMS (Aliyun's BizId, an SNS MessageId), which its receipts name. */
  providerId?: string;
  attempts: number;
};

/** The message as its reader sees it: what the platform said, signed when it went by SMS. */
export function messageText(message: Pick<Message, 'channel' | 'template' | 'params'>): string {
  const body = render(message.template, message.params);
  return message.channel === 'sms' ? smsText(body) : body;
}

/** After this many failed attempts a message is given up on (failed, with the last reason). */
export const MAX_ATTEMPTS = 8;

/** Exponential backoff: 1, 2, 4 … minutes after each failed attempt. */
export const retryAt = (attempts: number, now: Date) => new Date(now.getTime() + 60_000 * 2 ** (attempts - 1));
