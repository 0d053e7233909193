// PUT /me — create or replace the resident's profile. The ID number is validated (GB 11643-1999) and, with
// the name, checked against the national register (lib/real-name-check.ts) unless this profile already has
// exactly this name and number verified; then it is claimed by the rules of shared/data/id-numbers.ts. The
// answer never tells whether another account claimed the number. The phone is stored as E.164.

import { saveResident } from '../../shared/data/id-numbers.ts';
import { getResident } from '../../shared/data/residents.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { realNameCheck } from './lib/real-name-check.ts';

export const handler = apiHandler(api.putMe, async ({ body, caller }) => {
  const now = new Date();
  const { idNumber, birthDate, sex } = body.idNumber;
  const previous = await getResident(caller.userId);
  // A new address or phone does not need the register again: the verified name and number are unchanged.
  const verification =
    previous?.verification && previous.idNumber === idNumber && previous.name === body.name
      ? previous.verification
      : await realNameCheck(caller.userId, { name: body.name, idNumber }, now);
  const profile = await saveResident({
    userId: caller.userId,
    name: body.name,
    idNumber,
    birthDate,
    sex,
    phone: body.phone,
    community: body.community,
    ...(body.address ? { address: body.address } : {}),
    updatedAt: now.toISOString(),
    ...(verification ? { verification } : {}),
  });
  return ok(api.profileView(profile));
});
