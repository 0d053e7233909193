// GET /me — the resident's own profile, the one answer that shows the ID number unmasked.

import { getResident } from '../../shared/data/residents.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { profileView } from './profile-view.ts';

export const handler = apiHandler({ route: 'GET /me' }, async ({ caller }) => {
  const profile = await getResident(caller.userId);
  if (!profile) throw notFound('No profile yet: create it with PUT /me.');
  return ok(profileView(profile));
});
