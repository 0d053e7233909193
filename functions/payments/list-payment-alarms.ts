// GET /payment-alarms — staff see the money their centre's bills received that could not be booked as the
// bill's payment (a bill paid twice, an amount the provider reports differently), newest first, to refund it.

import { listAlarms } from '../../shared/data/payments.ts';
import * as api from '../../shared/api/payments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';

export const handler = apiHandler(api.listPaymentAlarms, async ({ query, caller }) => {
  const page = await listAlarms(homeCentre(caller), query.limit, query.cursor);
  return ok({ items: page.items.map(api.alarmView), nextCursor: page.nextCursor });
});
