// POST /bills/{id}/pay — the resident pays one of their bills in full. The Idempotency-Key is required:
// a repeat of the same request (also while the first is still running) gets the first answer and moves
// no money. A wallet answers 202 with the order to pay (the bill is locked to that one order, whatever the
// key); the simulated provider answers 201 with the receipt, charged under one reference per bill.

import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import * as api from '../../shared/api/bills.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { payOwnBill } from './lib/pay-own-bill.ts';

export const handler = apiHandler(api.payBill, async ({ params, body, caller, headers, sourceIp }) => {
  const key = idempotencyKeyFrom(headers, true)!;
  return idempotent({ scope: 'pay-bill', userId: caller.userId, key, fingerprint: { billId: params.id, ...body } }, async () =>
    payOwnBill({ billId: params.id, residentId: caller.userId, ...body, clientIp: sourceIp, idempotencyKey: key }),
  );
});
