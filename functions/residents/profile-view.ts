// The owner's view of a profile (GET /me and PUT /me answer the same shape).

import type { ResidentProfile } from '../../shared/domain/residents.ts';

export const profileView = (p: ResidentProfile) => ({
  name: p.name,
  idNumber: p.idNumber,
  phone: p.phone,
  community: p.community,
  ...(p.address ? { address: p.address } : {}),
  birthDate: p.birthDate,
  sex: p.sex,
  updatedAt: p.updatedAt,
});
