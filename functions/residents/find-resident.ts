// GET /residents?idNumber= — the ID-card swipe at the counter (通办通理): staff of any window find the
// resident by the keyed hash of the ID number and see who they are serving (ID number and phone masked),
// and how that identity was verified, any account a verified claim took the number from, and, at the
// clerk's own centre (another centre's records stay with that centre): the resident's open cases, cases
// whose result waits to be collected at the window, cases decided in the last 30 days, and today's
// appointments and queue tickets. Residents get 403 from the route's roles.

import { appointmentsOfResidentOn } from '../../shared/data/appointments.ts';
import { listCasesOfResident } from '../../shared/data/cases.ts';
import { findIdNumberHolder } from '../../shared/data/id-numbers.ts';
import { ticketsOfResidentOn } from '../../shared/data/tickets.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import type { Case, CaseStatus } from '../../shared/domain/cases.ts';
import { notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

/** Cases the counter may still act on; `failed` stays visible until staff have dealt with it. */
const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['submitted', 'returned', 'in_review', 'failed'];
/** How far back the counter sees decided cases (a resident asking about a recent answer). */
const RECENT_DAYS = 30;
const CASES_PAGE = 100;

type CasesAtCounter = { open: Case[]; awaitingCollection: Case[]; recentlyDecided: Case[] };

/** The resident's cases at the clerk's centre, sorted into what the counter shows, newest first. */
async function casesAtCounter(residentId: string, centre: string, now: Date): Promise<CasesAtCounter> {
  const since = `${addDays(shanghaiDate(now), -RECENT_DAYS)}`;
  const sorted: CasesAtCounter = { open: [], awaitingCollection: [], recentlyDecided: [] };
  let cursor: string | undefined;
  do {
    const page = await listCasesOfResident(residentId, CASES_PAGE, cursor);
    for (const c of page.items.filter((c) => c.centre === centre)) {
      if (OPEN_CASE_STATUSES.includes(c.status)) sorted.open.push(c);
      if (c.collection?.status === 'awaiting') sorted.awaitingCollection.push(c);
      if (c.decidedAt && shanghaiDate(new Date(c.decidedAt)) >= since) sorted.recentlyDecided.push(c);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return sorted;
}

export const handler = apiHandler(api.findResident, async ({ query, caller }) => {
  const centre = homeCentre(caller);
  const holder = await findIdNumberHolder(query.idNumber.idNumber);
  if (!holder) throw notFound('No resident has registered this ID number.');
  const resident = holder.profile;
  const now = new Date();
  const today = shanghaiDate(now);
  const [cases, todaysAppointments, todaysTickets] = await Promise.all([
    casesAtCounter(resident.userId, centre, now),
    appointmentsOfResidentOn(resident.userId, today).then((all) => all.filter((a) => a.centre === centre)),
    ticketsOfResidentOn(resident.userId, today).then((all) => all.filter((t) => t.centre === centre)),
  ]);
  return ok(api.residentAtCounterView(resident, holder.displaced, cases, todaysAppointments, todaysTickets));
});
