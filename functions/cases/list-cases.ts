// GET /cases — the resident's own cases, newest first.

import { listCasesOfResident } from '../../shared/data/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { pageQuerySchema } from '../../shared/http/schemas.ts';
import { caseView } from './case-view.ts';

export const handler = apiHandler({ route: 'GET /cases', query: pageQuerySchema }, async ({ query, caller }) => {
  const page = await listCasesOfResident(caller.userId, query.limit, query.cursor);
  return ok({ items: page.items.map(caseView), nextCursor: page.nextCursor });
});
