// GET /cases — the resident's own cases, newest first.

import { listCasesOfResident } from '../../shared/data/cases.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listCases, async ({ query, caller }) => {
  const page = await listCasesOfResident(caller.userId, query.limit, query.cursor);
  return ok({ items: page.items.map(api.caseView), nextCursor: page.nextCursor });
});
