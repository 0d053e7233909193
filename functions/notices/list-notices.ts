// GET /notices?community= — public: the community's active notices (started, not yet ended), the most
// recently started first.

import * as z from 'zod/mini';
import { listStartedNotices } from '../../shared/data/notices.ts';
import { isNoticeActive } from '../../shared/domain/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { communitySchema, pageQuery } from '../../shared/http/schemas.ts';
import { noticeView } from './notice-view.ts';

const query = z.object({ ...pageQuery, community: communitySchema });

export const handler = apiHandler({ route: 'GET /notices', query }, async ({ query }) => {
  const now = new Date();
  const page = await listStartedNotices(query.community, now, (n) => isNoticeActive(n, now), query.limit, query.cursor);
  return ok({ items: page.items.map(noticeView), nextCursor: page.nextCursor });
});
