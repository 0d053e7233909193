// GET /slots?category=&date=&centre= — the places left in each slot of a centre's window on a working day
// (the resident's own centre unless `centre` names another). A slot nobody has booked yet has no counter
// and is fully available; on the current day only slots not yet begun are offered.

import { placesTaken } from '../../shared/data/appointments.ts';
import { getResident } from '../../shared/data/residents.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { checkBookableDate, openSlotTimes, slotCapacity } from '../../shared/domain/slots.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { bookingCentre } from './lib/booking-centre.ts';

export const handler = apiHandler(api.listSlots, async ({ query, caller }) => {
  const now = new Date();
  checkBookableDate(query.date, now);
  const category = findCategory(query.category)!;
  const centre = bookingCentre(query.centre, await getResident(caller.userId), category);
  const capacity = slotCapacity(centre, category);
  const taken = await placesTaken(centre.code, category.code, query.date);
  return ok(
    openSlotTimes(centre, query.date, now).map((time) => ({ time, capacity, available: Math.max(0, capacity - (taken.get(time) ?? 0)) })),
  );
});
