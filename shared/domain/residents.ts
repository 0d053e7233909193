// A resident's profile (PUT /me). The ID number is personal data: shown whole to its owner only, masked
// everywhere else, looked up only through a keyed hash (shared/data/id-numbers.ts).

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
};
