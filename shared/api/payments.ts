// Wallet payments: a resident's order, staff refunds and alarms, and the providers' notify routes (whose bodies
// are the providers' own signed formats, read raw by shared/http/notification-handler.ts, so no schema here).

import * as z from 'zod/mini';
import { paymentStatusOf, type PaymentAlarm, type Refund, type WalletPayment } from '../domain/payments.ts';
import { endpoint } from './endpoint.ts';
import { pageQuery, text } from './fields.ts';

const paymentParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

export const getPayment = endpoint({
  route: 'GET /payments/{id}',
  summary: "One of the caller's payments: pending (with what to pay), paid, closed or refunded, with its refunds",
  params: paymentParams,
});

export const refundPayment = endpoint({
  route: 'POST /payments/{id}/refund',
  summary: "Staff of the bill's centre refund a paid payment through its provider; Idempotency-Key required",
  params: paymentParams,
  body: z.strictObject({ amount: z.number().check(z.int('whole fen'), z.minimum(1)), reason: text(80) }),
});

export const listPaymentAlarms = endpoint({
  route: 'GET /payment-alarms',
  summary: "Money the providers report that could not be booked as a bill's payment, for the caller's centre, newest first",
  query: z.object(pageQuery),
});

export const notifyWechatPay = endpoint({
  route: 'POST /payments/notify/wechatpay',
  summary: "WeChat Pay's signed payment and refund notifications (answered 200, or 401 {code: FAIL})",
});

export const notifyAlipay = endpoint({
  route: 'POST /payments/notify/alipay',
  summary: "Alipay's signed asynchronous notifications, a form post (answered success or fail)",
});

export const refundView = (r: Refund) => ({
  refundId: r.refundId,
  paymentId: r.paymentId,
  amount: r.amount,
  reason: r.reason,
  status: r.status,
  requestedAt: r.requestedAt,
  ...(r.settledAt ? { settledAt: r.settledAt } : {}),
});

/** What the payer sees: the provider's transaction id, the merchant and the key stay inside. */
export const paymentRecordView = (p: WalletPayment & { refunds: Refund[] }) => ({
  paymentId: p.paymentId,
  billId: p.billId,
  status: paymentStatusOf(p),
  method: p.method,
  ...(p.channel ? { channel: p.channel } : {}),
  amount: p.amount,
  createdAt: p.createdAt,
  ...(p.status === 'pending' ? { pay: p.pay, expiresAt: p.expiresAt } : {}),
  ...(p.paidAt ? { paidAt: p.paidAt } : {}),
  ...(p.receiptNo ? { receiptNo: p.receiptNo } : {}),
  ...(p.closedAt ? { closedAt: p.closedAt } : {}),
  refundedAmount: p.refundedAmount ?? 0,
  refunds: p.refunds.map(refundView),
});

export const alarmView = (a: PaymentAlarm) => ({
  paymentId: a.paymentId,
  billId: a.billId,
  kind: a.kind,
  raisedAt: a.raisedAt,
  orderAmount: a.orderAmount,
  providerAmount: a.providerAmount,
  ...(a.paidByPaymentId ? { paidByPaymentId: a.paidByPaymentId } : {}),
});
