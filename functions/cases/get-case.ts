// GET /cases/{id} — one of the resident's own cases with its full history.

import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { caseIdParams, ownCase } from './case-id.ts';
import { caseView } from './case-view.ts';

export const handler = apiHandler({ route: 'GET /cases/{id}', params: caseIdParams }, async ({ params, caller }) =>
  ok(caseView(await ownCase(params.id, caller.userId))),
);
