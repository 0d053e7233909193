// A called ticket is served to the end: done, off its window, and counted with its service time.

import { finishTicket } from '../../../shared/data/tickets.ts';
import { recordStatsEvent } from '../../../shared/data/stats.ts';
import { ticketServedEvent } from '../../../shared/domain/stats.ts';
import type { Ticket } from '../../../shared/domain/tickets.ts';

export async function serveToEnd(t: Ticket, at: string): Promise<Ticket> {
  const done = await finishTicket(t, at);
  await recordStatsEvent(ticketServedEvent(done, done.calledAt!, at));
  return done;
}
