// GET /tasks?status=pending — the caller's approval queue at their centre, earliest due first: caseworker
// steps of the staff member's categories; for supervisors, supervisor steps of every category. One exact
// Query per category queue of the centre (shared/data/tasks.ts), so a page never holds another centre's work.
// A city supervisor works no queue of their own and names the centre to look at.

import { getCases } from '../../shared/data/cases.ts';
import { listPendingTasks } from '../../shared/data/tasks.ts';
import { CATEGORY_CODES } from '../../shared/domain/catalog.ts';
import * as api from '../../shared/api/tasks.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { centreInScope } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.listTasks, async ({ query, caller }) => {
  const centre = centreInScope(caller, query.centre, 'centre-required')!;
  const page = caller.roles.includes('supervisor')
    ? await listPendingTasks(centre, 'supervisor', CATEGORY_CODES, query.limit, query.cursor)
    : await listPendingTasks(centre, 'caseworker', caller.categories, query.limit, query.cursor);
  const cases = await getCases(page.items.map((t) => t.caseId));
  const now = new Date();
  return ok({ items: page.items.map((t) => api.taskView(t, cases.get(t.caseId), now)), nextCursor: page.nextCursor });
});
