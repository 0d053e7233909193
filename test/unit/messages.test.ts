import { describe, expect, it } from 'vitest';
import {
  channelFor,
  dateForSms,
  DEFAULT_PREFERENCES,
  MESSAGE_KINDS,
  MessageTemplateError,
  placeholders,
  quietHoursEnd,
  render,
  residentClass,
  retryAt,
  smsSegments,
  smsSendableAt,
  smsText,
  TEMPLATE_CLASSES,
  TEMPLATES,
  type MessagePreferences,
  type TemplateName,
} from '../../shared/domain/messages.ts';
import { NOTICE_KINDS, noticeTemplate } from '../../shared/domain/notices.ts';

const ALL_TEMPLATES = Object.keys(TEMPLATES) as TemplateName[];
/** `hh:mm` on a Shanghai date, as an instant. */
const shanghai = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);

describe('message templates', () => {
  it('renders a template with its placeholders', () => {
    expect(render('case-accepted', { matter: '社保补缴', caseId: 'C20261127-0001', dueDate: '12月2日' })).toBe(
      '您的社保补缴事项已受理，编号C20261127-0001，预计12月2日前审核完成。',
    );
  });

  it('refuses to render with a placeholder missing, as an error no retry can mend', () => {
    expect(() => render('case-accepted', { matter: '社保补缴', caseId: 'C20261127-0001' })).toThrow(MessageTemplateError);
    expect(() => render('case-accepted', { matter: '社保补缴', caseId: 'C20261127-0001' })).toThrow(/missing dueDate/);
    expect(new MessageTemplateError('x').retryable).toBe(false);
  });

  it('names the case in every template about a case, and never asks for an ID number or a token', () => {
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      const names = placeholders(name);
      if (name.startsWith('case-') || name.startsWith('task-')) expect(names, name).toContain('caseId');
      expect(names.some((p) => /id.?number|token/i.test(p)), name).toBe(false);
    }
  });

  it('signs an SMS and counts segments by the 70/67 rule', () => {
    expect(smsText('你好')).toBe('【智慧社区】你好');
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('字'.repeat(134))).toBe(2);
    expect(smsSegments('字'.repeat(135))).toBe(3);
  });

  it('writes a due date the way residents read it', () => {
    expect(dateForSms('2026-12-03')).toBe('12月3日');
  });
});

describe('how each template travels', () => {
  it('classifies every template: staff tasks apart, and each resident template urgent or not, by choice or always by SMS', () => {
    const residents = ALL_TEMPLATES.filter((t) => TEMPLATE_CLASSES[t].audience === 'resident');
    const table = Object.fromEntries(residents.map((t) => [t, { kind: residentClass(t).kind, urgent: residentClass(t).urgent }]));
    expect(ALL_TEMPLATES.filter((t) => TEMPLATE_CLASSES[t].audience === 'staff').sort()).toEqual(['rating-follow-up', 'task-escalated', 'task-opened']);
    expect(table).toEqual({
      'case-accepted': { kind: null, urgent: true },
      'case-returned': { kind: null, urgent: true },
      'case-approved': { kind: null, urgent: true },
      'case-approved-collect': { kind: null, urgent: true },
      'case-rejected': { kind: null, urgent: true },
      'case-failed': { kind: null, urgent: true },
      'bill-paid': { kind: 'receipts', urgent: true },
      'bill-due': { kind: 'billReminders', urgent: false },
      'appointment-booked': { kind: null, urgent: true },
      'appointment-reminder': { kind: 'appointmentReminders', urgent: false },
      'notice-published': { kind: 'communityNotices', urgent: false },
      'emergency-notice': { kind: null, urgent: true },
      'queue-near-turn': { kind: null, urgent: true },
      'job-application-status': { kind: null, urgent: true },
      'job-posted': { kind: null, urgent: false },
    });
    // Every kind a resident may choose for is the kind of some template.
    expect(new Set(residents.map((t) => residentClass(t).kind).filter(Boolean))).toEqual(new Set(MESSAGE_KINDS));
  });

  it('sends outages and weather alerts as emergencies and general notices as community notices', () => {
    expect(Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, noticeTemplate(kind)]))).toEqual({
      'water-outage': 'emergency-notice',
      'power-outage': 'emergency-notice',
      'weather-alert': 'emergency-notice',
      general: 'notice-published',
    });
  });

  it("takes the resident's channel for a kind they choose, and SMS for case results, appointment changes and emergencies whatever they chose", () => {
    const everythingInbox: MessagePreferences = { billReminders: 'inbox', receipts: 'inbox', appointmentReminders: 'inbox', communityNotices: 'inbox' };
    expect(channelFor('bill-paid', everythingInbox)).toBe('inbox');
    expect(channelFor('bill-paid', DEFAULT_PREFERENCES)).toBe('sms');
    expect(channelFor('notice-published', { ...DEFAULT_PREFERENCES, communityNotices: 'inbox' })).toBe('inbox');
    for (const template of ['case-approved', 'case-returned', 'appointment-booked', 'emergency-notice'] as const) expect(channelFor(template, everythingInbox), template).toBe('sms');
    expect(() => channelFor('task-opened', DEFAULT_PREFERENCES)).toThrow(MessageTemplateError);
    // New postings for registered job seekers go to the inbox whatever the preferences: no SMS to many at once.
    expect(channelFor('job-posted', DEFAULT_PREFERENCES)).toBe('inbox');
  });
});

describe('quiet hours, 21:00–08:00 Shanghai', () => {
  it('ends the quiet hours at 08:00: the next morning from 21:00, the same morning after midnight, never in the day', () => {
    expect(quietHoursEnd(shanghai('2026-12-01', '20:59'))).toBeNull();
    expect(quietHoursEnd(shanghai('2026-12-01', '21:00'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(quietHoursEnd(shanghai('2026-12-01', '23:59'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(quietHoursEnd(shanghai('2026-12-02', '00:00'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(quietHoursEnd(shanghai('2026-12-02', '07:59'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(quietHoursEnd(shanghai('2026-12-02', '08:00'))).toBeNull();
    // Across a month's and a year's end.
    expect(quietHoursEnd(shanghai('2026-12-31', '22:00'))).toEqual(shanghai('2027-01-01', '08:00'));
  });

  it('holds a reminder due at 22:00 until 08:00, and lets a weather alert go at 22:00 at once', () => {
    expect(smsSendableAt('bill-due', shanghai('2026-12-01', '22:00'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(smsSendableAt('appointment-reminder', shanghai('2026-12-01', '22:00'))).toEqual(shanghai('2026-12-02', '08:00'));
    expect(smsSendableAt('emergency-notice', shanghai('2026-12-01', '22:00'))).toEqual(shanghai('2026-12-01', '22:00'));
    expect(smsSendableAt('bill-due', shanghai('2026-12-01', '10:00'))).toEqual(shanghai('2026-12-01', '10:00'));
  });

  it('backs retries off 1, 2, 4 … minutes', () => {
    const now = shanghai('2026-12-01', '10:00');
    expect([1, 2, 3, 4].map((attempts) => (retryAt(attempts, now).getTime() - now.getTime()) / 60_000)).toEqual([1, 2, 4, 8]);
  });
});
