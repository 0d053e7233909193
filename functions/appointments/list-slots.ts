// GET /slots?category=&date= — the places left in each slot of a category's working day. A slot nobody
// has booked yet has no counter and is fully available; on the current day only slots not yet begun are
// offered.

import * as z from 'zod/mini';
import { placesTaken } from '../../shared/data/appointments.ts';
import { CATEGORY_CODES, findCategory } from '../../shared/domain/catalog.ts';
import { checkBookableDate, openSlotTimes, slotCapacity } from '../../shared/domain/slots.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { businessDateSchema } from './schemas.ts';

const query = z.object({ category: z.enum(CATEGORY_CODES), date: businessDateSchema });

export const handler = apiHandler({ route: 'GET /slots', query }, async ({ query }) => {
  const now = new Date();
  checkBookableDate(query.date, now);
  const capacity = slotCapacity(findCategory(query.category)!);
  const taken = await placesTaken(query.category, query.date);
  return ok(
    openSlotTimes(query.date, now).map((time) => ({ time, capacity, available: Math.max(0, capacity - (taken.get(time) ?? 0)) })),
  );
});
