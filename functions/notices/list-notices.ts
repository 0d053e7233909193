// GET /notices?community= — public: the community's notices that have not ended, each with its `state`:
// the active ones first (the most recently started first), then the upcoming ones (the soonest first), so
// tomorrow's water outage is readable today. The live notices are read with one key condition that skips
// every ended one (shared/data/notices.ts) and paged in that order. A notice that starts between two pages
// moves up to the active ones and is first in the next read of the list.

import { listLiveNotices } from '../../shared/data/notices.ts';
import { pageByPosition } from '../../shared/data/pagination.ts';
import { listPosition } from '../../shared/domain/notices.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listNotices, async ({ query }) => {
  const now = new Date();
  const live = await listLiveNotices(query.community, now);
  const page = pageByPosition(live, (n) => listPosition(n, now), query.limit, query.cursor, { community: query.community });
  return ok({ items: page.items.map((n) => api.noticeView(n, now)), nextCursor: page.nextCursor });
});
