// POST /cases/{id}/collect — the resident picks up the result of an approved matter that needs a visit at
// the window: staff of the case's centre mark it collected, once (another centre's case is 404).

import { getCase, markCollected } from '../../shared/data/cases.ts';
import { conflict, notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { actorNameOf, homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.collectCase, async ({ params, caller }) => {
  const centre = homeCentre(caller);
  const c = await getCase(params.id);
  if (!c || c.centre !== centre) throw notFound(`No case ${params.id}.`);
  const collected = await markCollected(c.id, { at: new Date().toISOString(), actor: caller.userId, actorName: actorNameOf(caller, c.category), note: '居民已到窗口领取办理结果' });
  if (!collected) {
    throw conflict('invalid_state', c.collection?.status === 'collected' ? `Case ${c.id} was collected already.` : `Case ${c.id} has no result waiting at the window.`);
  }
  return ok(api.caseView(collected));
});
