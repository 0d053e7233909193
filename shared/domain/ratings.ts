// Service ratings (好差评), pure: the five-point scale with its official labels, when a case may be rated,
// and the follow-up a low score opens for the category's supervisors, who close it with what they did.

import type { CaseStatus } from './cases.ts';
import type { FieldError } from './errors.ts';

export const RATING_LABELS = {
  1: '非常不满意',
  2: '不满意',
  3: '基本满意',
  4: '满意',
  5: '非常满意',
} as const;
export type Score = keyof typeof RATING_LABELS;

export const ratingLabel = (score: number): string => RATING_LABELS[score as Score];

/** Only a decided case can be rated: the resident rates the service they actually received. */
export const RATEABLE_STATUSES: readonly CaseStatus[] = ['approved', 'rejected'];

/** Why a case cannot be rated now, or undefined when it can. A case is rated once. */
export function ratingRefusal(status: CaseStatus, alreadyRated: boolean): 'already_rated' | 'invalid_state' | undefined {
  if (alreadyRated) return 'already_rated';
  return RATEABLE_STATUSES.includes(status) ? undefined : 'invalid_state';
}

/** 不满意 and 非常不满意 are followed up by a supervisor (差评回访). */
export const needsFollowUp = (score: number) => score <= 2;
/** A supervisor has this many working days to follow a low rating up. */
export const FOLLOW_UP_WORKING_DAYS = 5;

/** One follow-up per case (a case is rated once): `C20261128-0007-F1`. */
export const followUpTaskId = (caseId: string) => `${caseId}-F1`;

/**
 * A follow-up is closed, not judged: `approve` means "handled", and the comment says what was done
 * (the resident was called back, the complaint passed on …). Reject or return would mean nothing here.
 */
export function followUpDecisionErrors(decision: string, comment: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (decision !== 'approve') errors.push({ path: 'decision', message: 'a follow-up is closed with approve (handled)' });
  if (comment === undefined) errors.push({ path: 'comment', message: 'say how the low rating was followed up' });
  return errors;
}
