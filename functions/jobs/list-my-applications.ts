// GET /me/applications — the caller's job applications, newest first, each with where it stands.

import { listApplicationsOfResident } from '../../shared/data/jobs.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listMyApplications, async ({ query, caller }) => {
  const page = await listApplicationsOfResident(caller.userId, query.limit, query.cursor);
  return ok({ items: page.items.map(api.applicationView), nextCursor: page.nextCursor });
});
