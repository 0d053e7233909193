// POST /cases — a resident declares a matter with its materials. The case is written, its review run
// started, and the answer is the submitted case; the automatic review follows at once in the workflow.
// The case belongs to the centre of the resident's community on this day: a later move does not move it.

import { createCase, nextCaseSequence } from '../../shared/data/cases.ts';
import { type Case } from '../../shared/domain/cases.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { caseId } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { businessRule, forbidden } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { caseIdentityRefusal, centreOfResident } from '../../shared/domain/residents.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { startReview } from './lib/start-review.ts';

export const handler = apiHandler(api.submitCase, async ({ body, caller, headers }) => {
  const matter = findMatter(body.matter)!;
  api.checkMaterialTypes(matter, body.materials);
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'submit-case', userId: caller.userId, key, fingerprint: body }, async () => {
    const profile = await getResident(caller.userId);
    if (!profile) throw businessRule('Create your profile with PUT /me before submitting a case.');
    const refusal = caseIdentityRefusal(profile, matter);
    if (refusal) throw forbidden(refusal, 'identity_not_verified');
    const now = new Date();
    const today = shanghaiDate(now);
    const c: Case = {
      id: caseId(today, await nextCaseSequence(today)),
      residentId: caller.userId,
      centre: centreOfResident(profile).code,
      matter: matter.code,
      category: matter.category,
      status: 'submitted',
      round: 1,
      submittedAt: now.toISOString(),
      dueDate: null,
      currentStep: null,
      plan: null,
      materials: body.materials,
      ...(body.note ? { note: body.note } : {}),
      missingMaterials: [],
      history: [{ at: now.toISOString(), status: 'submitted', actor: caller.userId, note: '提交申请' }],
    };
    await createCase(c);
    await recordCaseEvent(c);
    await startReview(c.id, c.round);
    return created(api.caseView(c));
  });
});
