// POST /bills/{id}/pay — the resident pays one of their bills in full. The Idempotency-Key is required:
// a repeat of the same request (also while the first is still running) gets the first answer and moves
// no money; the provider is asked with one reference per bill, so even different keys cannot charge twice.

import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import * as api from '../../shared/api/bills.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { payOwnBill } from './lib/pay-own-bill.ts';

export const handler = apiHandler(api.payBill, async ({ params, body, caller, headers }) => {
  const key = idempotencyKeyFrom(headers, true)!;
  return idempotent({ scope: 'pay-bill', userId: caller.userId, key, fingerprint: { billId: params.id, ...body } }, async () =>
    created(await payOwnBill({ billId: params.id, residentId: caller.userId, ...body, idempotencyKey: key })),
  );
});
