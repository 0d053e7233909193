// GET /residents?idNumber= — the ID-card swipe at the counter (通办通理): staff of any window find the
// resident by the keyed hash of the ID number and see who they are serving (ID number and phone masked),
// how that identity was verified, any account a verified claim took the number from, and the resident's
// open cases and today's appointments at the clerk's own centre (another centre's records stay with that
// centre). Residents get 403 from the route's roles.

import { appointmentsOfResidentOn } from '../../shared/data/appointments.ts';
import { listCasesOfResident } from '../../shared/data/cases.ts';
import { findIdNumberHolder } from '../../shared/data/id-numbers.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { Case, CaseStatus } from '../../shared/domain/cases.ts';
import { notFound } from '../../shared/domain/errors.ts';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { maskPhone } from '../../shared/domain/phone.ts';
import * as api from '../../shared/api/residents.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { staffAppointmentView } from '../../shared/api/appointments.ts';
import { caseView } from '../../shared/api/cases.ts';

/** Cases the counter may still act on; `failed` stays visible until staff have dealt with it. */
const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['submitted', 'returned', 'in_review', 'failed'];
const CASES_PAGE = 100;

async function openCasesOf(residentId: string, centre: string): Promise<Case[]> {
  const open: Case[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCasesOfResident(residentId, CASES_PAGE, cursor);
    open.push(...page.items.filter((c) => c.centre === centre && OPEN_CASE_STATUSES.includes(c.status)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return open;
}

export const handler = apiHandler(api.findResident, async ({ query, caller }) => {
  const centre = homeCentre(caller);
  const holder = await findIdNumberHolder(query.idNumber.idNumber);
  if (!holder) throw notFound('No resident has registered this ID number.');
  const resident = holder.profile;
  const [openCases, todaysAppointments] = await Promise.all([
    openCasesOf(resident.userId, centre),
    appointmentsOfResidentOn(resident.userId, shanghaiDate(new Date())).then((all) => all.filter((a) => a.centre === centre)),
  ]);
  return ok({
    userId: resident.userId,
    name: resident.name,
    idNumber: maskIdNumber(resident.idNumber),
    phone: maskPhone(resident.phone),
    community: resident.community,
    ...(resident.address ? { address: resident.address } : {}),
    // The clerk checks the card against this: null means nobody has confirmed the identity yet.
    verification: resident.verification ?? null,
    displacedAccounts: holder.displaced,
    openCases: openCases.map(caseView),
    todaysAppointments: todaysAppointments.map(staffAppointmentView),
  });
});
