// The counter's queue (排队叫号): walk-in tickets, calling the next ticket to a window, recall, skip and done,
// and the hall display every screen polls.

import * as z from 'zod/mini';
import { CATEGORY_CODES } from '../domain/catalog.ts';
import { TICKET_ID_PATTERN, type Ticket } from '../domain/tickets.ts';
import { endpoint } from './endpoint.ts';
import { centreSchema, userIdSchema } from './fields.ts';

const ticketIdParams = z.object({ id: z.string().check(z.regex(TICKET_ID_PATTERN, 'a ticket id such as T20261201-ZZY-S012')) });

export const issueTicket = endpoint({
  route: 'POST /tickets',
  summary: 'Give a walk-in a number in the window’s queue of today (现场取号)',
  body: z.strictObject({ category: z.enum(CATEGORY_CODES), userId: z.optional(userIdSchema) }),
});

export const callNext = endpoint({
  route: 'POST /windows/{category}/call-next',
  summary: 'Call the next waiting ticket of the window to a counter (叫号)',
  params: z.object({ category: z.enum(CATEGORY_CODES) }),
  body: z.strictObject({ window: z.string().check(z.regex(/^[A-Za-z0-9-]{1,8}$/, 'a window label such as "3" (letters, digits, "-"; at most 8)')) }),
});

export const recallTicket = endpoint({ route: 'POST /tickets/{id}/recall', summary: 'Call the ticket at the window again (重呼)', params: ticketIdParams });

export const skipTicket = endpoint({
  route: 'POST /tickets/{id}/skip',
  summary: 'The called resident did not come (过号): back to the end of the queue once, removed the next time',
  params: ticketIdParams,
});

export const finishTicket = endpoint({ route: 'POST /tickets/{id}/done', summary: 'The called ticket has been served', params: ticketIdParams });

export const getDisplay = endpoint({
  route: 'GET /display',
  summary: 'The hall display of a centre: now serving, next, waiting and the average wait per window',
  query: z.object({ centre: centreSchema }),
});

/** Staff's view of a ticket: the masked name only, as the hall shows it. */
export const ticketView = (t: Ticket, ahead?: number) => ({
  id: t.id,
  ticket: t.ticket,
  centre: t.centre,
  category: t.category,
  date: t.date,
  kind: t.kind,
  status: t.status,
  ...(ahead !== undefined ? { ahead } : {}),
  ...(t.appointmentId ? { appointmentId: t.appointmentId } : {}),
  ...(t.name ? { name: t.name } : {}),
  ...(t.window ? { window: t.window } : {}),
  issuedAt: t.issuedAt,
  ...(t.calledAt ? { calledAt: t.calledAt } : {}),
  ...(t.doneAt ? { doneAt: t.doneAt } : {}),
  skips: t.skips,
});
