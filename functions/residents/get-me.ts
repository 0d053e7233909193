// GET /me — the resident's own profile, the one answer that shows the ID number unmasked.

import { getResident } from '../../shared/data/residents.ts';
import { notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getMe, async ({ caller }) => {
  const profile = await getResident(caller.userId);
  if (!profile) throw notFound('No profile yet: create it with PUT /me.');
  return ok(api.profileView(profile));
});
