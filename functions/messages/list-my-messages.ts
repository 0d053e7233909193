// GET /me/messages — the resident's inbox: every message the platform sent them, SMS and in-app alike,
// newest first, each with its status (queued, sent, delivered, failed with the provider's reason).

import * as api from '../../shared/api/messages.ts';
import { listResidentMessages } from '../../shared/data/messages.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listMyMessages, async ({ query, caller }) => {
  const page = await listResidentMessages(caller.userId, query.limit, query.cursor);
  return ok({ items: page.items.map((m) => api.messageView(m, 'owner')), nextCursor: page.nextCursor });
});
