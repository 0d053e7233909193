// GET /cases/{id}/messages — staff and supervisors of the case's centre (any window, as at the counter): every
// message sent to the resident about the case, newest first, with its status, the phone masked. Another
// centre's case is 404, like an unknown one.

import * as api from '../../shared/api/messages.ts';
import { getCase } from '../../shared/data/cases.ts';
import { listCaseMessages } from '../../shared/data/messages.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.listCaseMessages, async ({ params, query, caller }) => {
  const centre = homeCentre(caller);
  const found = await getCase(params.id);
  if (!found || found.centre !== centre) throw notFound(`No case ${params.id}.`);
  const page = await listCaseMessages(found.id, query.limit, query.cursor);
  return ok({ items: page.items.map((m) => api.messageView(m, 'staff')), nextCursor: page.nextCursor });
});
