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
};

export type ProfileVerification = { method: 'real-name' | 'counter'; at: string; /** The clerk, for `counter`. */ by?: string };

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
