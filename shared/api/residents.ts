// The resident's profile (GET /me, PUT /me) and the ID-card swipe at the counter (GET /residents).

import * as z from 'zod/mini';
import type { ResidentProfile } from '../domain/residents.ts';
import { endpoint } from './endpoint.ts';
import { communitySchema, idNumberSchema, mobileSchema, text } from './fields.ts';

export const getMe = endpoint({ route: 'GET /me', summary: "The caller's own profile, ID number unmasked" });

export const putMe = endpoint({
  route: 'PUT /me',
  summary: 'Create or replace the profile; name and ID number are checked against the national register (实名核验)',
  body: z.strictObject({
    name: text(50),
    idNumber: idNumberSchema,
    phone: mobileSchema,
    community: communitySchema,
    address: z.optional(text(200)),
  }),
});

export const findResident = endpoint({
  route: 'GET /residents',
  summary: 'ID-card swipe (通办通理): the resident, open cases and today at the counter',
  query: z.object({ idNumber: idNumberSchema }),
});

/**
 * The owner's view of a profile (GET /me and PUT /me answer the same shape). `verification` says how the
 * identity was confirmed (null: not yet; the clerk of a counter verification is internal); `idNumberLost`
 * appears once a verified account has taken the number. Whether anyone else claimed the number is never shown.
 */
export const profileView = (p: ResidentProfile) => ({
  name: p.name,
  idNumber: p.idNumber,
  phone: p.phone,
  community: p.community,
  ...(p.address ? { address: p.address } : {}),
  birthDate: p.birthDate,
  sex: p.sex,
  updatedAt: p.updatedAt,
  verification: p.verification ? { method: p.verification.method, at: p.verification.at } : null,
  ...(p.idNumberLost ? { idNumberLost: p.idNumberLost } : {}),
});
