// PUT /me — create or replace the resident's profile. The ID number is validated (GB 11643-1999) and
// claimed for this account only; the phone is stored as E.164.

import { saveResident } from '../../shared/data/id-numbers.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.putMe, async ({ body, caller }) => {
  const profile = {
    userId: caller.userId,
    name: body.name,
    idNumber: body.idNumber.idNumber,
    birthDate: body.idNumber.birthDate,
    sex: body.idNumber.sex,
    phone: body.phone,
    community: body.community,
    address: body.address,
    updatedAt: new Date().toISOString(),
  };
  await saveResident(profile);
  return ok(api.profileView(profile));
});
