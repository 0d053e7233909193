// GET /notices?community= — public: the community's active notices (started, not yet ended), the most
// recently started first.

import { listStartedNotices } from '../../shared/data/notices.ts';
import { isNoticeActive } from '../../shared/domain/notices.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listNotices, async ({ query }) => {
  const now = new Date();
  const page = await listStartedNotices(query.community, now, (n) => isNoticeActive(n, now), query.limit, query.cursor);
  return ok({ items: page.items.map(api.noticeView), nextCursor: page.nextCursor });
});
