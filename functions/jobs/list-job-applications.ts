// GET /jobs/{id}/applications — the applicants of a posting of the caller's centre, in the order they applied,
// for the employment window: each named, with their phone masked, note and whether a CV came. Another centre's
// posting is 404.

import { listApplicationsOfPosting } from '../../shared/data/jobs.ts';
import { getResidents } from '../../shared/data/residents.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { employmentWindowCentre, postingOfCentre } from './lib/employment-window.ts';

export const handler = apiHandler(api.listJobApplications, async ({ params, query, caller }) => {
  const centre = employmentWindowCentre(caller);
  const posting = await postingOfCentre(params.id, centre);
  const page = await listApplicationsOfPosting(posting.id, query.limit, query.cursor);
  const byId = await getResidents(page.items.map((a) => a.residentId));
  return ok({ posting: api.postingView(posting), items: page.items.map((a) => api.staffApplicationView(a, byId.get(a.residentId))), nextCursor: page.nextCursor });
});
