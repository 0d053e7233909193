import { describe, expect, it } from 'vitest';
import { smsSegments, smsText, TEMPLATE_CLASSES, TEMPLATES, type TemplateName } from '../../shared/domain/messages.ts';
import { noticeSmsParams } from '../../shared/domain/notices.ts';
import {
  defaultTemplateCode,
  MAX_VARIABLE_LENGTH,
  registrationProblems,
  renderRegistered,
  SMS_TEMPLATES,
  SmsTemplateParamError,
  templateCodeFor,
  templateParam,
} from '../../shared/domain/sms-templates.ts';
import { bill, caseId, dueDate, LARGEST_PARAMS, matter, noticeTitle, slot, staffComment } from '../support/sms-template-params.ts';

describe('SMS template registration (Aliyun)', () => {
  it('registers every template of messages.ts, and the review rules find nothing to refuse', () => {
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      expect(SMS_TEMPLATES[name], name).toBeDefined();
      expect(registrationProblems(SMS_TEMPLATES[name]), name).toEqual([]);
    }
  });

  it('renders every template with the largest values the platform produces within the provider limits, in at most two segments', () => {
    expect([...noticeTitle].length).toBe(40);
    expect(staffComment.length).toBe(500);
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      for (const params of LARGEST_PARAMS[name]) {
        const values = templateParam(name, params);
        for (const value of Object.values(values)) expect([...value].length, `${name}: ${value}`).toBeLessThanOrEqual(MAX_VARIABLE_LENGTH);
        expect(smsSegments(smsText(renderRegistered(SMS_TEMPLATES[name].text, values))), name).toBeLessThanOrEqual(2);
      }
    }
  });

  it('says the same thing as the platform template: a case SMS names matter and case, a bill SMS the amount', () => {
    expect(renderRegistered(SMS_TEMPLATES['case-accepted'].text, templateParam('case-accepted', { matter: '退休申请', caseId: 'C20261129-0001', dueDate: '12月11日' }))).toBe(
      '您的退休申请事项已受理，编号C20261129-0001，预计12月11日前审核完成。',
    );
    expect(renderRegistered(SMS_TEMPLATES['bill-paid'].text, templateParam('bill-paid', { period: '2026年9月', kind: '水费', amount: '38.10', receiptNo: 'R20261001-AB12CD34' }))).toBe(
      '您2026年9月的水费已缴纳成功，金额38.10元，收据号R20261001-AB12CD34。',
    );
  });

  it('sends a notice as its kind and title and leaves the body to the app, shortening a 40-character title', () => {
    const values = templateParam('notice-published', noticeSmsParams({ kind: 'water-outage', title: noticeTitle, body: '12月3日9时至17时管道检修，请提前储水。' }));
    expect(values).toEqual({ kindName: '停水通知', title: `${[...noticeTitle].slice(0, 34).join('')}…` });
    expect(renderRegistered(SMS_TEMPLATES['notice-published'].text, templateParam('notice-published', { kindName: '停水通知', title: '【紧急】3栋停水', body: '…' }))).toBe(
      '您所在社区发布停水通知：（紧急）3栋停水。详情请登录智慧社区查看通知全文。',
    );
  });

  it('sends a short staff comment as it is, and points to the case when it is too long or holds a link', () => {
    expect(templateParam('case-rejected', { matter, caseId, reason: '收入超过低保标准' }).reason).toBe('收入超过低保标准');
    expect(templateParam('case-rejected', { matter, caseId, reason: staffComment }).reason).toBe('详见办件说明');
    expect(templateParam('case-returned', { matter, caseId, missing: '请到 www.example.gov.cn 下载表格' }).missing).toBe('详见办件说明');
  });

  it.each([
    ['too-long', { matter: '字'.repeat(21), caseId }],
    ['missing', { matter }],
    ['link', { matter: 'https://t.cn', caseId }],
    ['link', { matter: 'ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ', caseId }],
    ['signature-brackets', { matter: '【退休】', caseId }],
    ['control-characters', { matter: '退休\n申请', caseId }],
    ['format', { matter, caseId: 'C 2026' }],
  ])('refuses a value the provider would refuse (%s) with a named error before anything is sent', (rule, params) => {
    try {
      templateParam('case-approved', params);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SmsTemplateParamError);
      expect((error as SmsTemplateParamError).name).toBe('SmsTemplateParamError');
      expect((error as SmsTemplateParamError).rule).toBe(rule);
    }
  });

  it('refuses amounts, times and ticket numbers that are not what their variable was registered as', () => {
    expect(() => templateParam('bill-due', { ...bill, dueDate, amount: '三十元' })).toThrow(/amount.*format/);
    expect(() => templateParam('appointment-booked', { ...slot, time: '上午十点' })).toThrow(/time.*format/);
  });

  it('names template codes SMS_<NAME> until a deployment configures the codes Aliyun assigned', () => {
    expect(defaultTemplateCode('case-accepted')).toBe('SMS_CASE_ACCEPTED');
    expect(templateCodeFor('case-accepted', { 'case-accepted': 'SMS_468021345' })).toBe('SMS_468021345');
    expect(templateCodeFor('bill-due', { 'case-accepted': 'SMS_468021345' })).toBe('SMS_BILL_DUE');
  });

  it('keeps the staff templates apart: they go out through notifyStaff, not to a resident', () => {
    const staff = (Object.keys(SMS_TEMPLATES) as TemplateName[]).filter((name) => TEMPLATE_CLASSES[name].audience === 'staff');
    expect(staff.sort()).toEqual(['rating-follow-up', 'task-escalated', 'task-opened']);
  });
});
