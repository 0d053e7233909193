// GET /tasks?status=pending — the caller's approval queue, earliest due first: caseworker steps of the
// staff member's categories; for supervisors, supervisor steps of every category.

import * as z from 'zod/mini';
import { getCases, listPendingTasks } from '../../shared/data/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { pageQuery } from '../../shared/http/schemas.ts';
import { taskView } from './task-view.ts';

const query = z.object({ ...pageQuery, status: z._default(z.literal('pending'), 'pending') });

export const handler = apiHandler({ route: 'GET /tasks', query }, async ({ query, caller }) => {
  const page = caller.roles.includes('supervisor')
    ? await listPendingTasks('supervisor', 'all', query.limit, query.cursor)
    : await listPendingTasks('caseworker', caller.categories, query.limit, query.cursor);
  const cases = await getCases(page.items.map((t) => t.caseId));
  const now = new Date();
  return ok({ items: page.items.map((t) => taskView(t, cases.get(t.caseId), now)), nextCursor: page.nextCursor });
});
