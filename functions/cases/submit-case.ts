// POST /cases — a resident declares a matter with its materials. The case is written, its review run
// started, and the answer is the submitted case; the automatic review follows at once in the workflow
// (functions/cases/lib/declare-case.ts, shared with the clerk's declaration at the counter).

import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { businessRule } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { checkDeclaration, declareCase } from './lib/declare-case.ts';

export const handler = apiHandler(api.submitCase, async ({ body, caller, headers }) => {
  checkDeclaration(body);
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'submit-case', userId: caller.userId, key, fingerprint: body }, async () => {
    const profile = await getResident(caller.userId);
    if (!profile) throw businessRule('Create your profile with PUT /me before submitting a case.');
    return created(api.caseView(await declareCase(profile, body, { actor: caller.userId, actorName: '本人', note: '提交申请' })));
  });
});
