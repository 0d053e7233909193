// GET /slots?category=&date= — the places left in each slot of a category's working day. A slot nobody
// has booked yet has no counter and is fully available; on the current day only slots not yet begun are
// offered.

import { placesTaken } from '../../shared/data/appointments.ts';
import { findCategory } from '../../shared/domain/catalog.ts';
import { checkBookableDate, openSlotTimes, slotCapacity } from '../../shared/domain/slots.ts';
import * as api from '../../shared/api/appointments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listSlots, async ({ query }) => {
  const now = new Date();
  checkBookableDate(query.date, now);
  const capacity = slotCapacity(findCategory(query.category)!);
  const taken = await placesTaken(query.category, query.date);
  return ok(
    openSlotTimes(query.date, now).map((time) => ({ time, capacity, available: Math.max(0, capacity - (taken.get(time) ?? 0)) })),
  );
});
