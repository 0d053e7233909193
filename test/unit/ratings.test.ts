import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../shared/domain/cases.ts';
import { followUpDecisionErrors, followUpTaskId, needsFollowUp, RATING_LABELS, ratingLabel, ratingRefusal } from '../../shared/domain/ratings.ts';

describe('rating scale', () => {
  it('labels the five scores with the 好差评 wording', () => {
    expect(Object.entries(RATING_LABELS)).toEqual([
      ['1', '非常不满意'],
      ['2', '不满意'],
      ['3', '基本满意'],
      ['4', '满意'],
      ['5', '非常满意'],
    ]);
    expect(ratingLabel(2)).toBe('不满意');
  });

  it.each([
    [1, true],
    [2, true],
    [3, false],
    [5, false],
  ])('score %i needs a supervisor follow-up: %s', (score, expected) => {
    expect(needsFollowUp(score)).toBe(expected);
  });

  it('names the follow-up after its case', () => {
    expect(followUpTaskId('C20261128-0007')).toBe('C20261128-0007-F1');
  });
});

describe('when a case may be rated', () => {
  it('accepts only approved and rejected cases', () => {
    const rateable = CASE_STATUSES.filter((status) => ratingRefusal(status, false) === undefined);
    expect(rateable).toEqual(['approved', 'rejected']);
  });

  it.each(['submitted', 'returned', 'in_review', 'withdrawn', 'failed'] as const)('refuses a %s case as invalid_state', (status) => {
    expect(ratingRefusal(status, false)).toBe('invalid_state');
  });

  it('refuses a second rating as already_rated', () => {
    expect(ratingRefusal('approved', true)).toBe('already_rated');
  });
});

describe('closing a follow-up', () => {
  it('accepts approve with a comment', () => {
    expect(followUpDecisionErrors('approve', '已电话回访')).toEqual([]);
  });

  it('refuses reject or return, and a close that does not say what was done', () => {
    expect(followUpDecisionErrors('reject', '无')).toEqual([{ path: 'decision', message: expect.any(String) }]);
    expect(followUpDecisionErrors('return', undefined).map((e) => e.path)).toEqual(['decision', 'comment']);
    expect(followUpDecisionErrors('approve', undefined).map((e) => e.path)).toEqual(['comment']);
  });
});
