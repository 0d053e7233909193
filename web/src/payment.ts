// Paying a bill, in both forms the API answers. Real wallets (API.md v2 "Real money") answer 202 with the
// payment pending and what the resident needs to pay in the wallet app (a QR code URL or a redirect), and
// the payment becomes paid when the provider tells the platform; the page then watches GET /payments/{id}
// until it is settled. The simulated provider (PAYMENT_PROVIDER=simulated) charges at once: 201 with the receipt.

import { call, callForAnswer } from './api/client.ts';
import type { PaymentView, PendingPaymentView } from './api/types.ts';

export type PayMethod = 'wechat' | 'alipay';

export type PendingPayment = { paymentId: string; codeUrl?: string; redirectUrl?: string; expiresAt?: string };
export type PaymentOutcome = { kind: 'paid'; receipt: PaymentView } | { kind: 'pending'; payment: PendingPayment };

export async function payBill(billId: string, amount: number, method: PayMethod, idempotencyKey: string): Promise<PaymentOutcome> {
  const answer = await callForAnswer('POST /bills/{id}/pay', { params: { id: billId }, body: { amount, method }, idempotencyKey });
  if (answer.status !== 202) return { kind: 'paid', receipt: answer.body as PaymentView };
  const pending = answer.body as PendingPaymentView;
  const pay = pending.pay;
  return {
    kind: 'pending',
    payment: {
      paymentId: pending.paymentId,
      ...(pay?.channel === 'qr' ? { codeUrl: pay.codeUrl } : {}),
      ...(pay?.channel === 'h5' ? { redirectUrl: pay.redirectUrl } : {}),
      expiresAt: pending.expiresAt,
    },
  };
}

export type SettledPayment = { status: 'paid'; receipt: PaymentView } | { status: 'closed' | 'refunded' };

/** Asks every `intervalMs` until the payment is no longer pending, or `signal` stops it. */
export async function waitUntilSettled(paymentId: string, intervalMs: number, signal: AbortSignal): Promise<SettledPayment | undefined> {
  while (!signal.aborted) {
    const payment = await call('GET /payments/{id}', { params: { id: paymentId } });
    if (payment.status === 'paid') {
      return { status: 'paid', receipt: { paymentId: payment.paymentId, billId: payment.billId, amount: payment.amount, paidAt: payment.paidAt!, receiptNo: payment.receiptNo! } };
    }
    if (payment.status !== 'pending') return { status: payment.status };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return undefined;
}
