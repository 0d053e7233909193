// The largest parameter values the platform produces for each message template, taken from the domain
// modules that produce them, so the SMS tests follow the catalog, the bills and the notices as they grow.

import { BILL_KINDS, kindNameZh, MAX_BILL_AMOUNT_FEN, periodForSms, receiptNumber, yuan } from '../../shared/domain/bills.ts';
import { RETURN_REASON_TEXT, ROLE_NAMES } from '../../shared/domain/cases.ts';
import { CATEGORIES, MATTERS } from '../../shared/domain/catalog.ts';
import { dateForSms, type TemplateName, type TemplateParams } from '../../shared/domain/messages.ts';
import { NOTICE_KINDS, noticeSmsParams } from '../../shared/domain/notices.ts';
import { RATING_LABELS } from '../../shared/domain/ratings.ts';
import { CENTRES } from '../../shared/domain/centres.ts';
import { slotTimes, ticketNumber } from '../../shared/domain/slots.ts';
import { NEAR_TURN_AHEAD } from '../../shared/domain/tickets.ts';
import { STATUS_WORDS } from '../../shared/domain/jobs.ts';

const longest = (values: readonly string[]) => values.reduce((a, b) => ([...b].length > [...a].length ? b : a));

export const matter = longest(MATTERS.map((m) => m.name.zh));
export const caseId = 'C20261231-9999';
export const dueDate = dateForSms('2026-12-31');
/** A caseworker's comment at the 500 characters decide-task.ts allows. */
export const staffComment = '请补充近六个月的工资流水，并由用人单位加盖公章；'.repeat(21).slice(0, 500);
/** A notice title at the 40 characters publish-notice allows. */
export const noticeTitle = '关于12月3日9时至17时阳光花园3栋、4栋及5栋二次供水设备检修临时停水的通知';

const missing = longest([...MATTERS.map((m) => m.materials.map((material) => material.name.zh).join('、')), ...Object.values(RETURN_REASON_TEXT)]);
/** An employer and a job title at the 100 and 50 characters publish-job allows. */
export const jobEmployer = '北京市海淀区紫竹院街道某某科技发展有限公司'.repeat(5).slice(0, 100);
export const jobTitle = '社区养老服务中心护理员（白班）'.repeat(4).slice(0, 50);

export const bill = {
  period: periodForSms('2026-12'),
  kind: longest(BILL_KINDS.map(kindNameZh)),
  amount: yuan(MAX_BILL_AMOUNT_FEN),
  receiptNo: receiptNumber('2026-12-31', 'pay-0f3c9a7e-51b2-4d8e-9c1a-77e2b3d4a5f6'),
};
export const slot = {
  window: longest(CATEGORIES.map((c) => c.name.zh)),
  date: dateForSms('2026-12-31'),
  time: longest(CENTRES.flatMap(slotTimes)),
  ticket: ticketNumber(CATEGORIES[0]!, 999),
};

export const LARGEST_PARAMS: Record<TemplateName, TemplateParams[]> = {
  'case-accepted': [{ matter, caseId, dueDate }],
  'case-returned': [
    { matter, caseId, missing },
    { matter, caseId, missing: staffComment },
  ],
  'case-approved': [{ matter, caseId }],
  'case-approved-collect': [{ matter, caseId, centre: longest(CENTRES.map((c) => c.name.zh)) }],
  'case-rejected': [
    { matter, caseId, reason: '不符合办理条件' },
    { matter, caseId, reason: staffComment },
  ],
  'case-failed': [{ matter, caseId }],
  'task-opened': [{ matter, caseId, role: longest(Object.values(ROLE_NAMES)), dueDate }],
  'task-escalated': [{ matter, caseId, role: longest(Object.values(ROLE_NAMES)), dueDate }],
  'rating-follow-up': [{ matter, caseId, label: longest(Object.values(RATING_LABELS)), dueDate }],
  'bill-paid': [bill],
  'bill-due': [{ ...bill, dueDate }],
  'appointment-booked': [slot],
  'appointment-reminder': [slot],
  'queue-near-turn': [{ window: slot.window, ticket: ticketNumber(CATEGORIES[0]!, 9999), ahead: NEAR_TURN_AHEAD }],
  'notice-published': NOTICE_KINDS.map((kind) => noticeSmsParams({ kind, title: noticeTitle, body: '停'.repeat(500) })),
  'job-application-status': Object.values(STATUS_WORDS).map((step) => ({ employer: jobEmployer, title: jobTitle, step })),
  'job-posted': [{ centre: longest(CENTRES.map((c) => c.name.zh)), employer: jobEmployer, title: jobTitle, closesOn: dueDate }],
  'emergency-notice': NOTICE_KINDS.map((kind) => noticeSmsParams({ kind, title: noticeTitle, body: '停'.repeat(500) })),
};
