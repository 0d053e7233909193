// POST /tickets/{id}/recall — the clerk calls the same ticket again (重呼): the hall announces it once more.

import { recallTicket } from '../../shared/data/tickets.ts';
import * as api from '../../shared/api/tickets.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { calledTicketOfCentre } from './lib/centre-ticket.ts';
import { queueChanged } from './lib/queue-changed.ts';

export const handler = apiHandler(api.recallTicket, async ({ params, caller }) => {
  const t = await calledTicketOfCentre(params.id, caller);
  const now = new Date();
  const recalled = await recallTicket(t, now.toISOString());
  await queueChanged(recalled, now);
  return ok(api.ticketView(recalled));
});
