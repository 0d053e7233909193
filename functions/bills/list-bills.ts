// GET /bills?status=unpaid|paid — the resident's own bills in due-date order, unpaid ones unless asked
// otherwise (what there is to pay is what a resident opens the page for).

import * as z from 'zod/mini';
import { listBillsOfResident } from '../../shared/data/bills.ts';
import { BILL_STATUSES } from '../../shared/domain/bills.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { pageQuery } from '../../shared/http/schemas.ts';
import { billView } from './bill-view.ts';

const query = z.object({ ...pageQuery, status: z._default(z.enum(BILL_STATUSES), 'unpaid') });

export const handler = apiHandler({ route: 'GET /bills', query }, async ({ query, caller }) => {
  const page = await listBillsOfResident(caller.userId, query.status, query.limit, query.cursor);
  return ok({ items: page.items.map(billView), nextCursor: page.nextCursor });
});
