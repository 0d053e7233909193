// The ticket a clerk acts on: one of their own centre's, and one being called at a window.

import { getTicket } from '../../../shared/data/tickets.ts';
import { conflict, notFound } from '../../../shared/domain/errors.ts';
import type { Ticket } from '../../../shared/domain/tickets.ts';
import { homeCentre, type Caller } from '../../../shared/http/auth.ts';

/** Another centre's ticket is not found (404, never 403); one that is not being called is 409 invalid_state. */
export async function calledTicketOfCentre(id: string, caller: Caller): Promise<Ticket> {
  const centre = homeCentre(caller);
  const t = await getTicket(id);
  if (!t || t.centre !== centre) throw notFound(`No ticket ${id}.`);
  if (t.status !== 'called') throw conflict('invalid_state', `Ticket ${t.ticket} is ${t.status}, not being called at a window.`);
  return t;
}
