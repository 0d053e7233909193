// POST /notices/{id}/end — staff end a notice early (the outage was repaired sooner): its end becomes now,
// once, and it leaves the list. Only staff of the centre of the notice's community may (another centre's
// notice is 404); a notice that has ended already is 409 invalid_state.

import { endNotice, getNotice } from '../../shared/data/notices.ts';
import { centreOfCommunity } from '../../shared/domain/centres.ts';
import { conflict, notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.endNotice, async ({ params, caller }) => {
  const centre = homeCentre(caller);
  const notice = await getNotice(params.id);
  if (!notice || centreOfCommunity(notice.community)?.code !== centre) throw notFound(`No notice ${params.id}.`);
  const now = new Date();
  const ended = await endNotice(notice.id, now, caller.userId);
  if (!ended) throw conflict('invalid_state', `Notice ${notice.id} has ended already.`);
  return ok(api.noticeView(ended, now));
});
