import { describe, expect, it } from 'vitest';
import { dateForSms, placeholders, render, smsSegments, smsText, TEMPLATES, type TemplateName } from '../../shared/domain/messages.ts';

describe('message templates', () => {
  it('renders a template with its placeholders', () => {
    expect(render('case-accepted', { matter: '社保补缴', caseId: 'C20261127-0001', dueDate: '12月2日' })).toBe(
      '您的社保补缴事项已受理，编号C20261127-0001，预计12月2日前审核完成。',
    );
  });

  it('refuses to render with a placeholder missing', () => {
    expect(() => render('case-accepted', { matter: '社保补缴', caseId: 'C20261127-0001' })).toThrow(/missing dueDate/);
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
