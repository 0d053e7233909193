import { describe, expect, it } from 'vitest';
import { approvalPlan, autoReview, caseId, MAX_WAIT_SECONDS, nextAfterDecision, OVERDUE_REMINDER_SECONDS, stepWait, taskId } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';

const TODAY = '2026-11-27';
const materials = (...types: string[]) => types.map((type) => ({ type, ref: `ref-${type}` }));

describe('automatic review', () => {
  const backpay = findMatter('social-insurance-backpay')!;
  const retirement = findMatter('retirement')!;

  it('accepts a case with every required material', () => {
    expect(autoReview(backpay, materials('id-card', 'labor-contract', 'wage-statement'), undefined, TODAY)).toEqual({ outcome: 'accepted' });
  });

  it('returns a case naming every missing material at once', () => {
    expect(autoReview(backpay, materials('id-card'), undefined, TODAY)).toEqual({
      outcome: 'returned',
      missingMaterials: ['labor-contract', 'wage-statement'],
      materialProblems: [],
      reason: 'missing_materials',
    });
  });

  it.each([
    ['a woman of 50', '11010519761127002', 'accepted'],
    ['a woman one day short of 50', '11010519761128002', 'returned'],
    ['a man of 60', '11010519661127001', 'accepted'],
    ['a man of 59', '11010519670101001', 'returned'],
  ])('retirement: %s → %s', (_who, first17, outcome) => {
    const review = autoReview(retirement, materials('id-card', 'personnel-file'), first17 + checkCharacter(first17), TODAY);
    expect(review.outcome).toBe(outcome);
    if (review.outcome === 'returned') expect(review.reason).toBe('under_retirement_age');
  });
});

describe('approval plan', () => {
  it('gives a one-step matter the SLA as its step and case due date', () => {
    const plan = approvalPlan(findMatter('social-insurance-backpay')!, TODAY);
    expect(plan).toEqual({ dueDate: '2026-12-02', steps: [{ index: 0, role: 'caseworker', dueDate: '2026-12-02' }] });
  });

  it('spreads a two-step SLA so the last step is due on the case due date', () => {
    const plan = approvalPlan(findMatter('retirement')!, TODAY);
    expect(plan.steps).toEqual([
      { index: 0, role: 'caseworker', dueDate: '2026-12-04' },
      { index: 1, role: 'supervisor', dueDate: '2026-12-11' },
    ]);
    expect(plan.dueDate).toBe('2026-12-11');
  });
});

describe('step waits', () => {
  const now = new Date('2026-11-27T02:00:00Z'); // 10:00 in Shanghai

  it('waits until the end of the due day in Shanghai', () => {
    expect(stepWait('2026-11-27', now)).toEqual({ timeoutSeconds: 14 * 3600 - 0, reachesDue: true });
  });

  it('caps long waits below the 24.8-day timer limit and says the cap is not the deadline', () => {
    expect(stepWait('2027-03-01', now)).toEqual({ timeoutSeconds: MAX_WAIT_SECONDS, reachesDue: false });
  });

  it('re-checks an overdue step daily', () => {
    expect(stepWait('2026-11-20', now)).toEqual({ timeoutSeconds: OVERDUE_REMINDER_SECONDS, reachesDue: true });
  });
});

describe('decisions', () => {
  it('moves an approval to the next role, or finishes after the last', () => {
    expect(nextAfterDecision('approve', 0, 2)).toEqual({ action: 'open-step', stepIndex: 1 });
    expect(nextAfterDecision('approve', 1, 2)).toEqual({ action: 'finalize', outcome: 'approved' });
  });

  it('finishes on reject at any step and sends back on return', () => {
    expect(nextAfterDecision('reject', 0, 2)).toEqual({ action: 'finalize', outcome: 'rejected' });
    expect(nextAfterDecision('return', 1, 2)).toEqual({ action: 'returned' });
  });
});

describe('identifiers', () => {
  it('numbers cases by Shanghai day, readable on the phone', () => {
    expect(caseId('2026-11-28', 7)).toBe('C20261128-0007');
    expect(taskId('C20261128-0007', 2, 1)).toBe('C20261128-0007-R2S2');
  });
});
