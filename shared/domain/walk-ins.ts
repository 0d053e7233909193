// Walk-ins without an account (现场办理): a clerk registers the resident from the ID card they hold, under a
// platform user id of its own, so they can be served at once; when that phone number later signs in, the
// resident takes the profile over by confirming its ID number. Pure rules, no I/O.

import { randomUUID } from 'node:crypto';
import type { ResidentProfile } from './residents.ts';

const WALK_IN_PREFIX = 'walk-in-';

/** A user id no sign-in ever has (Cognito's are UUIDs): it marks the profile as the counter's, awaiting its owner. */
export const newWalkInUserId = () => `${WALK_IN_PREFIX}${randomUUID()}`;

export const isWalkIn = (profile: Pick<ResidentProfile, 'userId'>) => profile.userId.startsWith(WALK_IN_PREFIX);

/** The walk-in profile a clerk registers: the card's details, verified by that clerk at the counter. */
export function walkInProfile(
  card: Pick<ResidentProfile, 'name' | 'idNumber' | 'birthDate' | 'sex' | 'phone' | 'community' | 'address'>,
  clerk: string,
  at: string,
): ResidentProfile {
  return { userId: newWalkInUserId(), ...card, updatedAt: at, verification: { method: 'counter', at, by: clerk } };
}

/** Who may take a walk-in profile over: the account signed in with the phone the clerk registered. */
export const mayTakeOver = (profile: ResidentProfile, signedInPhone: string | undefined) =>
  isWalkIn(profile) && signedInPhone !== undefined && profile.phone === signedInPhone;
