// GET /tasks?status=pending — the caller's approval queue, earliest due first: caseworker steps of the
// staff member's categories; for supervisors, supervisor steps of every category.

import { getCases, listPendingTasks } from '../../shared/data/cases.ts';
import * as api from '../../shared/api/tasks.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listTasks, async ({ query, caller }) => {
  const page = caller.roles.includes('supervisor')
    ? await listPendingTasks('supervisor', 'all', query.limit, query.cursor)
    : await listPendingTasks('caseworker', caller.categories, query.limit, query.cursor);
  const cases = await getCases(page.items.map((t) => t.caseId));
  const now = new Date();
  return ok({ items: page.items.map((t) => api.taskView(t, cases.get(t.caseId), now)), nextCursor: page.nextCursor });
});
