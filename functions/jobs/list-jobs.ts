// GET /jobs?centre=&nearby= — the open postings anyone may read, the soonest closing first. With `centre`: that
// centre's postings and those of the centres within NEARBY_KM of it (`nearby=false`: that centre's only) — what
// the web app asks for a resident, with the centre of their community. Without it: every centre's. Each centre
// is one exact Query of its open postings; a posting whose closing day has passed before the closing job ran is
// left out.

import { listOpenPostings } from '../../shared/data/jobs.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { CENTRE_CODES } from '../../shared/domain/centres.ts';
import { centresShownTo, isTakingApplications } from '../../shared/domain/jobs.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listJobs, async ({ query }) => {
  const centres = query.centre === undefined ? [...CENTRE_CODES] : query.nearby === 'false' ? [query.centre] : centresShownTo(query.centre);
  const page = await listOpenPostings(centres, query.limit, query.cursor);
  const today = shanghaiDate(new Date());
  return ok({ centres, items: page.items.filter((p) => isTakingApplications(p, today)).map(api.postingView), nextCursor: page.nextCursor });
});
