// A resident's profile (PUT /me). The ID number is personal data: shown whole to its owner only, masked
// everywhere else, looked up only through a keyed hash (shared/data/id-numbers.ts).

import { centreOfCommunity, type Centre } from './centres.ts';
import { businessRule } from './errors.ts';
import type { Sex } from './id-number.ts';

export type ResidentProfile = {
  userId: string;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: Sex;
  phone: string;
  community: string;
  address?: string;
  updatedAt: string;
  /**
   * How the platform knows the ID number is this person's: a real-name check of name + ID number against the
   * government register (IdentityVerifier port), or a clerk who saw the card at the counter. Absent: only
   * claimed. Matters that pay money or change a legal status need a verified profile.
   */
  verification?: ProfileVerification;
  /**
   * Set when a verified claim of this ID number by another account took it from this unverified profile: the
   * number is that account's now. Shown to the owner (GET /me); cleared when the profile holds a number again.
   */
  idNumberLost?: { at: string };
};

export type ProfileVerification = { method: 'real-name' | 'counter'; at: string; /** The clerk, for `counter`. */ by?: string };

/**
 * How strongly a claim of an ID number is backed: a clerk who saw the card (2) beats a real-name check of the
 * register (1), which beats a bare claim (0). A stronger claim takes the number from a weaker one; equal ones
 * keep it with whoever holds it.
 */
export const verificationRank = (verification: ProfileVerification | undefined): number =>
  verification === undefined ? 0 : verification.method === 'counter' ? 2 : 1;

export const isVerified = (profile: Pick<ResidentProfile, 'verification'>) => profile.verification !== undefined;

/**
 * Why this profile may not declare `matter` (403 identity_not_verified), or undefined. Matters that pay money
 * or change a legal status need a verified profile; a profile whose number another, verified account took
 * declares nothing under it.
 */
export function caseIdentityRefusal(profile: Pick<ResidentProfile, 'verification' | 'idNumberLost'>, matter: { needsVerifiedProfile: boolean }): string | undefined {
  if (profile.idNumberLost) return 'Your ID number is now held by a verified account; bring your ID card to a service centre.';
  if (matter.needsVerifiedProfile && !isVerified(profile)) {
    return 'This matter needs a verified identity: your name and ID number could not be confirmed online; bring your ID card to a service centre.';
  }
  return undefined;
}

/** The centre that serves a resident: that of their community. 422 for a community no centre serves. */
export function centreOfResident(profile: Pick<ResidentProfile, 'community'>): Centre {
  const centre = centreOfCommunity(profile.community);
  if (!centre) {
    throw businessRule(`No service centre serves the community ${profile.community} of your profile; correct it with PUT /me.`, [
      { path: 'community', message: 'not a community of any service centre' },
    ]);
  }
  return centre;
}
