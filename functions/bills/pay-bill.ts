// POST /bills/{id}/pay — the resident pays one of their bills in full. The Idempotency-Key is required:
// a repeat of the same request (also while the first is still running) gets the first answer and moves
// no money; the provider is asked with one reference per bill, so even different keys cannot charge twice.

import * as z from 'zod/mini';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { PAYMENT_METHODS } from '../../shared/domain/bills.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { payOwnBill } from './pay-own-bill.ts';

const params = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });
const body = z.strictObject({ amount: z.number().check(z.int('whole fen'), z.minimum(1)), method: z.enum(PAYMENT_METHODS) });

export const handler = apiHandler({ route: 'POST /bills/{id}/pay', params, body }, async ({ params, body, caller, headers }) => {
  const key = idempotencyKeyFrom(headers, true)!;
  return idempotent({ scope: 'pay-bill', userId: caller.userId, key, fingerprint: { billId: params.id, ...body } }, async () =>
    created(await payOwnBill({ billId: params.id, residentId: caller.userId, ...body, idempotencyKey: key })),
  );
});
