// The real-name check of PUT /me (实名核验): name and ID number against the national register, within the
// account's daily allowance. A match verifies the profile; no record leaves it unverified (the counter can
// verify it); a mismatch is refused, as is a check the register did not answer (503, nothing saved).

import { giveBackIdentityCheck, MAX_IDENTITY_CHECKS_PER_DAY, takeIdentityCheck } from '../../../shared/data/identity-checks.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { DomainError, serviceUnavailable, tooManyRequests } from '../../../shared/domain/errors.ts';
import type { ProfileVerification } from '../../../shared/domain/residents.ts';
import { log } from '../../../shared/log.ts';
import { IdentityVerifierUnavailable, type IdentityClaim } from '../../../shared/ports/identity-verifier.ts';
import { identityVerifier } from '../../../shared/ports/identity-verifier-from-env.ts';

const RETRY_AFTER_SECONDS = 30;

export async function realNameCheck(userId: string, claim: IdentityClaim, now: Date): Promise<ProfileVerification | undefined> {
  const today = shanghaiDate(now);
  if (!(await takeIdentityCheck(userId, today))) {
    throw tooManyRequests(
      'identity_check_limit',
      `An account may check its name and ID number ${MAX_IDENTITY_CHECKS_PER_DAY} times a day (today in Shanghai is ${today}); try tomorrow or bring your ID card to a service centre.`,
      Math.ceil((Date.parse(`${today}T16:00:00Z`) - now.getTime()) / 1000) + 1,
    );
  }
  let result;
  try {
    result = await identityVerifier.verify(claim);
  } catch (error) {
    if (!(error instanceof IdentityVerifierUnavailable)) throw error;
    await giveBackIdentityCheck(userId, today);
    // The reason only: never the name or the number.
    log[error.retryable ? 'warn' : 'error']('real-name check unavailable', { reason: error.reason });
    throw serviceUnavailable(
      'identity_check_unavailable',
      `The national register did not answer in time, so nothing was saved. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
      RETRY_AFTER_SECONDS,
    );
  }
  if (result === 'mismatch') {
    throw new DomainError(422, 'identity_mismatch', 'Identity not confirmed', 'The national register does not confirm this name with this ID number; nothing was saved.', [
      { path: 'name', message: 'the name as printed on the ID card' },
      { path: 'idNumber', message: 'does not match the name in the national register' },
    ]);
  }
  return result === 'match' ? { method: 'real-name', at: now.toISOString() } : undefined;
}
