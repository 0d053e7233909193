// GET /cases/{id} — one of the resident's own cases with its full history.

import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { ownCase } from './lib/own-case.ts';

export const handler = apiHandler(api.getCase, async ({ params, caller }) =>
  ok(api.caseView(await ownCase(params.id, caller.userId))),
);
