// POST /tickets — a walk-in gets a number in today's queue of a window at the clerk's centre (现场取号), from
// the counter or a hall kiosk signed in with a staff token. The number comes from the same per-centre,
// window and day sequence as appointments, so it never repeats; `ahead` is how many are called before it
// now. With `userId` the ticket is the resident's: the hall shows their masked name, and they get the
// near-turn SMS. An Idempotency-Key keeps a double tap on the kiosk from issuing two numbers. Numbers are
// given for today whenever the centre's kiosk or counter asks: the centre decides when it opens its hall.

import { nextTicketSequence } from '../../shared/data/appointments.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { getResident } from '../../shared/data/residents.ts';
import { recordStatsEvent } from '../../shared/data/stats.ts';
import { issueTicket } from '../../shared/data/tickets.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { findCentre, windowsOf } from '../../shared/domain/centres.ts';
import { businessRule } from '../../shared/domain/errors.ts';
import { ticketIssuedEvent } from '../../shared/domain/stats.ts';
import { aheadOf, walkInTicket } from '../../shared/domain/tickets.ts';
import * as api from '../../shared/api/tickets.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { queueChanged } from './lib/queue-changed.ts';

export const handler = apiHandler(api.issueTicket, async ({ body, caller, headers }) => {
  const centre = findCentre(homeCentre(caller))!;
  const category = findCategory(body.category)!;
  if (windowsOf(centre, category) === 0) {
    throw businessRule(`${centre.name.zh} has no ${category.name.zh} window.`, [{ path: 'category', message: `not a window of ${centre.code}` }]);
  }
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'issue-ticket', userId: caller.userId, key, fingerprint: body }, async () => {
    const now = new Date();
    const today = shanghaiDate(now);
    const profile = body.userId === undefined ? undefined : await getResident(body.userId);
    if (body.userId !== undefined && !profile) {
      throw businessRule('No resident has this user id; register the walk-in with POST /residents first, or leave userId out.', [
        { path: 'userId', message: 'no resident profile' },
      ]);
    }
    const sequence = await nextTicketSequence(centre.code, category.code, today);
    const ticket = walkInTicket(centre, category, today, sequence, profile, caller.userId, now.toISOString());
    await issueTicket(ticket);
    await recordStatsEvent(ticketIssuedEvent(ticket));
    const entries = await queueChanged(ticket, now);
    return created(api.ticketView(ticket, aheadOf(entries, ticket.id, now)));
  });
});
