// GET /payments/{id} — one of the caller's payments: while pending, what to pay and until when; then paid with
// its receipt, closed, or refunded, with every refund. Someone else's payment is 404.

import { getPayment } from '../../shared/data/payments.ts';
import { notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/payments.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getPayment, async ({ params, caller }) => {
  const payment = await getPayment(params.id);
  if (!payment || payment.residentId !== caller.userId) throw notFound(`No payment ${params.id}.`);
  return ok(api.paymentRecordView(payment));
});
