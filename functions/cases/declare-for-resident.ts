// POST /residents/{userId}/cases — 帮办代办: a clerk declares a matter for the resident who swiped their ID
// card at the counter, with the same body and checks as POST /cases. The case is the resident's (they see
// it in GET /cases and get the same SMS); its first history entry names the clerk and says 窗口代办. Only
// staff of the resident's own centre declare for them: for anyone else the resident is not found (404).

import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { staffActorName } from '../../shared/domain/cases.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { centreOfCommunity } from '../../shared/domain/centres.ts';
import { notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { checkDeclaration, declareCase } from './lib/declare-case.ts';

export const handler = apiHandler(api.declareForResident, async ({ params, body, caller, headers }) => {
  const centre = homeCentre(caller);
  const matter = checkDeclaration(body);
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'declare-for-resident', userId: caller.userId, key, fingerprint: { userId: params.userId, body } }, async () => {
    const profile = await getResident(params.userId);
    if (!profile || centreOfCommunity(profile.community)?.code !== centre) throw notFound(`No resident ${params.userId} is served by your centre.`);
    return created(api.caseView(await declareCase(profile, body, { actor: caller.userId, actorName: staffActorName('caseworker', findCategory(matter.category)!, caller.name), note: '窗口代办' })));
  });
});
