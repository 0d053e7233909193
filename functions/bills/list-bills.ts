// GET /bills?status=unpaid|paid — the resident's own bills in due-date order, unpaid ones unless asked
// otherwise (what there is to pay is what a resident opens the page for).

import { listBillsOfResident } from '../../shared/data/bills.ts';
import * as api from '../../shared/api/bills.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listBills, async ({ query, caller }) => {
  const page = await listBillsOfResident(caller.userId, query.status, query.limit, query.cursor);
  return ok({ items: page.items.map(api.billView), nextCursor: page.nextCursor });
});
