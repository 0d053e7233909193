// POST /tickets/{id}/skip — 过号: the called resident did not come to the window. The first time the ticket
// goes back to the end of the queue (after every number given out so far, among the walk-ins); the second
// time it is removed. Either way the window is free for the next call.

import { lastIssuedSequence, skipTicket } from '../../shared/data/tickets.ts';
import { afterSkip, aheadOf, rejoinPosition } from '../../shared/domain/tickets.ts';
import * as api from '../../shared/api/tickets.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { calledTicketOfCentre } from './lib/centre-ticket.ts';
import { queueChanged } from './lib/queue-changed.ts';

export const handler = apiHandler(api.skipTicket, async ({ params, caller }) => {
  const t = await calledTicketOfCentre(params.id, caller);
  const now = new Date();
  const rejoinAt = afterSkip(t) === 'rejoin' ? rejoinPosition(await lastIssuedSequence(t), t.sequence) : undefined;
  const skipped = await skipTicket(t, rejoinAt, now.toISOString());
  const entries = await queueChanged(skipped, now);
  return ok(api.ticketView(skipped, skipped.status === 'waiting' ? aheadOf(entries, skipped.id, now) : undefined));
});
