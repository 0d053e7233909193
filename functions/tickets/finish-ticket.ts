// POST /tickets/{id}/done — the clerk has served the called ticket: it leaves its window and its service
// time is counted.

import * as api from '../../shared/api/tickets.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { calledTicketOfCentre } from './lib/centre-ticket.ts';
import { queueChanged } from './lib/queue-changed.ts';
import { serveToEnd } from './lib/serve-to-end.ts';

export const handler = apiHandler(api.finishTicket, async ({ params, caller }) => {
  const t = await calledTicketOfCentre(params.id, caller);
  const now = new Date();
  const done = await serveToEnd(t, now.toISOString());
  await queueChanged(done, now);
  return ok(api.ticketView(done));
});
