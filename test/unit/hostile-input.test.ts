// Issue 18, the pure rules: each finding that a rule (not a request) decides, as a named regression.

import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { codeSchema, decimalInteger, text, textProblem } from '../../shared/api/fields.ts';
import { billingPeriodWindow, isDueDateOfPeriod } from '../../shared/domain/bills.ts';
import { isCalendarDate } from '../../shared/domain/calendar.ts';
import { historyActorName, staffActorName, type HistoryEntry } from '../../shared/domain/cases.ts';
import { findCategory, knownCategoryCodes } from '../../shared/domain/catalog.ts';
import { caseIdentityRefusal, verificationRank } from '../../shared/domain/residents.ts';
import { otherStepTaskIds, separationOfDutiesConflict, type Task } from '../../shared/domain/tasks.ts';
import { callerFromClaims } from '../../shared/http/auth.ts';
import { outboxConsoleLine } from '../../shared/ports/outbox-notifier.ts';

const accepts = (schema: z.core.$ZodType, value: unknown) => z.safeParse(schema, value).success;

describe('item 2: calendar dates', () => {
  it('refuses impossible dates instead of throwing RangeError: 2026-13-01, 2026-12-32, 2026-00-10, 0000-00-00, 2026-02-29', () => {
    for (const date of ['2026-13-01', '2026-12-32', '2026-00-10', '0000-00-00', '2026-02-29', '2026-04-31', '2100-02-29', '0000-01-01', '2026-1-01', '２０２６-１２-０１'])
      expect(isCalendarDate(date), date).toBe(false);
  });

  it('accepts real dates, leap days included', () => {
    for (const date of ['2026-12-31', '2028-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect(isCalendarDate(date), date).toBe(true);
  });
});

describe('item 7: one text rule for every free-text field', () => {
  it('refuses NUL and other C0/C1 control characters, bidi overrides and isolates, lone surrogates and blank text', () => {
    for (const value of ['\u0000', 'a\u0007b', 'tab\there', 'a\u0085b', 'exe\u202Etxt.', '\u2066x\u2069', 'x\uD800', '\uDC00x', '   ', '\u3000\u200B\uFEFF'])
      expect(textProblem(value.trim(), 40), JSON.stringify(value)).toBeDefined();
  });

  it('keeps a newline only in multi-line text, and counts characters, not UTF-16 units', () => {
    expect(textProblem('第一行\n第二行', 40)).toBeDefined();
    expect(textProblem('第一行\n第二行', 40, { multiline: true })).toBeUndefined();
    expect(textProblem('a\r\nb', 40, { multiline: true })).toBeDefined();
    expect(textProblem('😀'.repeat(40), 40)).toBeUndefined();
    expect(textProblem('😀'.repeat(41), 40)).toBe('at most 40 characters');
  });

  it('trims before it checks, and refuses a text far beyond its limit without scanning it', () => {
    expect(z.parse(text(10), '  停水  ')).toBe('停水');
    expect(accepts(text(10), 'x'.repeat(1_000_000))).toBe(false);
  });

  it('takes material and category codes as codes, not free text', () => {
    expect(accepts(codeSchema, 'id-card')).toBe(true);
    for (const value of ['ID-CARD', 'id card', '', 'x'.repeat(65), 'id-card\u0000']) expect(accepts(codeSchema, value), value).toBe(false);
  });
});

describe('item 8: accepted but wrong', () => {
  it('takes a limit in decimal digits only: 0x10, 1e1, " 10", +5, 10.0 are refused', () => {
    const limit = decimalInteger(1, 100);
    expect(z.parse(limit, '10')).toBe(10);
    for (const value of ['0x10', '1e1', ' 10', '10 ', '+5', '10.0', '', '0', '101', '1'.repeat(400)]) expect(accepts(limit, value), value).toBe(false);
  });

  it('bills only the last five years up to next month, and dues a bill within a year of its period', () => {
    expect(billingPeriodWindow('2026-12-02')).toEqual({ earliest: '2021-12', latest: '2027-01' });
    expect(billingPeriodWindow('2026-01-31')).toEqual({ earliest: '2021-01', latest: '2026-02' });
    expect(isDueDateOfPeriod('2026-11', '2026-12-20')).toBe(true);
    expect(isDueDateOfPeriod('2026-11', '2026-10-31')).toBe(false);
    expect(isDueDateOfPeriod('2026-11', '2027-11-01')).toBe(false);
  });
});

describe('items 5 and 12: claims', () => {
  const claims = (extra: Record<string, unknown>) => ({ sub: 'u-1', 'cognito:groups': '[staff]', ...extra }) as never;

  it('reads roles from exact group names only: "supervisors", "x,supervisor" and "[supervisor" are no supervisor', () => {
    expect(callerFromClaims(claims({ 'cognito:groups': '[staff supervisor]' }))!.roles).toEqual(['staff', 'supervisor']);
    for (const groups of ['[supervisors]', '[x,supervisor]', '[staff,supervisor]', 'supervisor-x', '[Supervisor]'])
      expect(callerFromClaims(claims({ 'cognito:groups': groups }))!.roles, groups).not.toContain('supervisor');
  });

  it('refuses a caller whose claims no account of ours could carry: 33 categories, a 2 KB category claim, a 129-character sub', () => {
    const many = Array.from({ length: 33 }, (_, i) => `cat-${i}`).join(',');
    expect(callerFromClaims(claims({ 'custom:categories': many }))).toBeUndefined();
    expect(callerFromClaims(claims({ 'custom:categories': 'x'.repeat(2048) }))).toBeUndefined();
    expect(callerFromClaims(claims({ sub: 'u'.repeat(129) }))).toBeUndefined();
    expect(callerFromClaims(claims({ 'custom:categories': Array.from({ length: 32 }, (_, i) => `c${i}`).join(',') }))!.categories).toHaveLength(32);
  });

  it('drops a display name that breaks the text rule instead of showing it to residents', () => {
    expect(callerFromClaims(claims({ name: '李四' }))!.name).toBe('李四');
    expect(callerFromClaims(claims({ name: 'evil\u202Etxt' }))!.name).toBeUndefined();
    expect(callerFromClaims(claims({ name: 'x'.repeat(51) }))!.name).toBeUndefined();
  });

  it('reads at most the catalog categories, each once, whatever a claim lists', () => {
    expect(knownCategoryCodes(['employment', 'nope', 'employment', ...Array.from({ length: 200 }, (_, i) => `x${i}`), 'social-insurance'])).toEqual([
      'social-insurance',
      'employment',
    ]);
  });
});

describe('item 10: separation of duties (四眼原则)', () => {
  const step = (stepIndex: number, decidedBy?: string): Task =>
    ({ id: `C20261202-0001-R1S${stepIndex + 1}`, stepIndex, status: decidedBy ? 'decided' : 'pending', ...(decidedBy ? { decidedBy } : {}) }) as Task;

  it('builds the ids of every other step of every round, and nothing else', () => {
    expect(otherStepTaskIds('C20261202-0001', 2, 2, 1)).toEqual(['C20261202-0001-R1S1', 'C20261202-0001-R2S1']);
    expect(otherStepTaskIds('C20261202-0001', 3, 1, 0)).toEqual([]);
  });

  it('refuses the applicant, and anyone who decided another step of the case; allows a new decider', () => {
    expect(separationOfDutiesConflict('u-applicant', 'u-applicant', {}, [])).toMatch(/submitted this case/);
    expect(separationOfDutiesConflict('u-applicant', 'u-staff', {}, [step(0, 'u-staff')])).toMatch(/decided step 1/);
    expect(separationOfDutiesConflict('u-applicant', 'u-staff', {}, [step(0, 'u-other')])).toBeUndefined();
    expect(separationOfDutiesConflict('u-applicant', 'u-staff', {}, [step(0)])).toBeUndefined();
  });

  it('keeps only the applicant rule for a rating follow-up, which belongs to no chain', () => {
    expect(separationOfDutiesConflict('u-applicant', 'u-applicant', { kind: 'follow-up' }, [])).toBeDefined();
    expect(separationOfDutiesConflict('u-applicant', 'u-sup', { kind: 'follow-up' }, [step(0, 'u-sup')])).toBeUndefined();
  });
});

describe('item 11: identity rules', () => {
  it('ranks a counter verification above a real-name check above a bare claim', () => {
    expect(verificationRank(undefined)).toBe(0);
    expect(verificationRank({ method: 'real-name', at: 'x' })).toBe(1);
    expect(verificationRank({ method: 'counter', at: 'x', by: 'clerk-1' })).toBe(2);
  });

  it('lets an unverified profile declare only matters that need no verification, and a profile that lost its number nothing', () => {
    const verified = { verification: { method: 'real-name' as const, at: 'x' } };
    expect(caseIdentityRefusal({}, { needsVerifiedProfile: true })).toBeDefined();
    expect(caseIdentityRefusal({}, { needsVerifiedProfile: false })).toBeUndefined();
    expect(caseIdentityRefusal(verified, { needsVerifiedProfile: true })).toBeUndefined();
    expect(caseIdentityRefusal({ idNumberLost: { at: 'x' } }, { needsVerifiedProfile: false })).toBeDefined();
  });
});

describe('item 13: what residents and consoles see of people', () => {
  const entry = (actor: string, actorName?: string): HistoryEntry => ({ at: 'x', status: 'in_review', actor, ...(actorName ? { actorName } : {}) });

  it('names a window or a staff display name on a case history, never an account id', () => {
    expect(staffActorName('caseworker', findCategory('social-insurance')!, '李四')).toBe('社会保险窗口 李四');
    expect(staffActorName('caseworker', findCategory('social-insurance')!)).toBe('社会保险窗口');
    expect(staffActorName('supervisor', findCategory('employment')!)).toBe('科室负责人');
    expect(historyActorName(entry('cw-7f3a', '社会保险窗口'), 'u-1')).toBe('社会保险窗口');
    expect(historyActorName(entry('cw-7f3a'), 'u-1')).toBe('工作人员');
    expect(historyActorName(entry('system'), 'u-1')).toBe('系统');
    expect(historyActorName(entry('u-1'), 'u-1')).toBe('本人');
  });

  it('masks phone numbers in the outbox console line, and leaves staff queues readable', () => {
    expect(outboxConsoleLine({ channel: 'sms', to: '+8613800138000', body: '【智慧社区】…' })).toBe('[outbox] sms → +86138****8000: 【智慧社区】…');
    expect(outboxConsoleLine({ channel: 'email', to: 'staff:zizhuyuan:caseworker:employment', body: 'x' })).toBe('[outbox] email → staff:zizhuyuan:caseworker:employment: x');
  });
});
