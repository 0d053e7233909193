// GET /notices?community= — public: the community's notices that have not ended, each with its `state`:
// the active ones first (the most recently started first), then the upcoming ones (the soonest first), so
// tomorrow's water outage is readable today. The live notices are read with one key condition that skips
// every ended one (shared/data/notices.ts) and paged here: the cursor is the position of the last notice
// handed out. A notice that starts between two pages moves up to the active ones and may be left out of the
// later page; it is first in the next read of the list.

import { listLiveNotices } from '../../shared/data/notices.ts';
import { decodeCursor, encodeCursor } from '../../shared/data/pagination.ts';
import { validationFailed } from '../../shared/domain/errors.ts';
import { LIST_POSITION_PATTERN, listPosition } from '../../shared/domain/notices.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listNotices, async ({ query }) => {
  const now = new Date();
  const after = afterPosition(query.cursor, query.community);
  const live = (await listLiveNotices(query.community, now))
    .map((notice) => ({ notice, position: listPosition(notice, now) }))
    .filter((n) => after === undefined || n.position > after)
    .sort((a, b) => a.position.localeCompare(b.position));
  const page = live.slice(0, query.limit);
  const more = live.length > page.length;
  return ok({
    items: page.map((n) => api.noticeView(n.notice, now)),
    nextCursor: more ? encodeCursor({ community: query.community, after: page.at(-1)!.position }) : null,
  });
});

/** The position a cursor of this community's list holds; 400 at `cursor` for anything else. */
function afterPosition(cursor: string | undefined, community: string): string | undefined {
  const position = decodeCursor(cursor, { community })?.after;
  if (cursor !== undefined && !(typeof position === 'string' && LIST_POSITION_PATTERN.test(position))) {
    throw validationFailed([{ path: 'cursor', message: 'not a cursor of this list' }]);
  }
  return position as string | undefined;
}
