// PUT /me — create or replace the resident's profile. The ID number is validated (GB 11643-1999) and
// claimed for this account only; the phone is stored as E.164.

import * as z from 'zod/mini';
import { saveResident } from '../../shared/data/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { communitySchema, idNumberSchema, mobileSchema, text } from '../../shared/http/schemas.ts';
import { profileView } from './profile-view.ts';

const body = z.strictObject({
  name: text(50),
  idNumber: idNumberSchema,
  phone: mobileSchema,
  community: communitySchema,
  address: z.optional(text(200)),
});

export const handler = apiHandler({ route: 'PUT /me', body }, async ({ body, caller }) => {
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
  return ok(profileView(profile));
});
