// What a resident sees of a bill and of a payment (API.md): internal keys, the provider's transaction id
// and the Idempotency-Key stay inside.

import type { Bill, Payment } from '../../shared/domain/bills.ts';

export const billView = (b: Bill) => ({
  id: b.id,
  kind: b.kind,
  period: b.period,
  amount: b.amount,
  dueDate: b.dueDate,
  status: b.status,
  ...(b.paidAt ? { paidAt: b.paidAt } : {}),
});

export const paymentView = (p: Payment) => ({
  paymentId: p.paymentId,
  billId: p.billId,
  amount: p.amount,
  paidAt: p.paidAt,
  receiptNo: p.receiptNo,
});
