// POST /me/claim — a resident signed in with the phone number a clerk registered for them at the counter
// takes that walk-in profile over by confirming its ID number: the profile, its ID number and the walk-in's
// cases, appointments and tickets become the account's (shared/data/walk-ins.ts). Anything but a walk-in
// profile of this ID number registered with this phone is 404, so the route tells nobody whose number it
// is. A repeat after the take-over answers the profile again.

import { findResidentByIdNumber } from '../../shared/data/id-numbers.ts';
import { getResident } from '../../shared/data/residents.ts';
import { takeOverWalkIn } from '../../shared/data/walk-ins.ts';
import { conflict, DomainError, forbidden, notFound } from '../../shared/domain/errors.ts';
import { normalizeMobile } from '../../shared/domain/phone.ts';
import { mayTakeOver } from '../../shared/domain/walk-ins.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.claimProfile, async ({ body, caller }) => {
  const phone = caller.phone === undefined ? undefined : (normalizeMobile(caller.phone) ?? undefined);
  if (!phone) throw forbidden('Your account has no verified phone number: sign in with the phone the counter registered.');
  const profile = await findResidentByIdNumber(body.idNumber.idNumber);
  if (profile?.userId === caller.userId) return ok(api.profileView(profile));
  if (!profile || !mayTakeOver(profile, phone)) throw notFound('No profile registered at a counter has this ID number and your phone number.');
  if (await getResident(caller.userId)) {
    throw conflict('invalid_state', 'Your account has a profile already; the counter can tell you how to bring the two together.');
  }
  try {
    return ok(api.profileView(await takeOverWalkIn(profile, caller.userId, new Date().toISOString())));
  } catch (error) {
    // Two sign-ins of the same account claiming at once: the other one did it.
    if (error instanceof DomainError && error.code === 'concurrent_update' && (await findResidentByIdNumber(body.idNumber.idNumber))?.userId === caller.userId) {
      return ok(api.profileView((await getResident(caller.userId))!));
    }
    throw error;
  }
});
