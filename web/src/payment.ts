// Paying a bill, in both forms the API answers. Today's simulated provider charges at once: 201 with the
// receipt. Real wallets (API.md v2 "Real money") answer 202 with the payment pending and what the resident
// needs to pay in the wallet app (a QR code URL or a redirect), and the payment becomes paid when the
// provider tells the platform; the page then watches GET /payments/{id} until it is settled.

import { callForAnswer, request } from './api/client.ts';
import type { PaymentView } from './api/types.ts';

export type PayMethod = 'wechat' | 'alipay';

export type PendingPayment = { paymentId: string; codeUrl?: string; redirectUrl?: string; expiresAt?: string };
export type PaymentOutcome = { kind: 'paid'; receipt: PaymentView } | { kind: 'pending'; payment: PendingPayment };

/** The 202 answer of a provider that settles later. */
type PendingAnswer = { paymentId: string; status: 'pending'; pay?: { codeUrl?: string; redirectUrl?: string }; expiresAt?: string };

export async function payBill(billId: string, amount: number, method: PayMethod, idempotencyKey: string): Promise<PaymentOutcome> {
  const answer = await callForAnswer('POST /bills/{id}/pay', { params: { id: billId }, body: { amount, method }, idempotencyKey });
  if (answer.status !== 202) return { kind: 'paid', receipt: answer.body };
  const pending = answer.body as unknown as PendingAnswer;
  return {
    kind: 'pending',
    payment: { paymentId: pending.paymentId, codeUrl: pending.pay?.codeUrl, redirectUrl: pending.pay?.redirectUrl, expiresAt: pending.expiresAt },
  };
}

export type SettledPayment = { status: 'paid'; receipt: PaymentView } | { status: 'closed' | 'refunded' };

/** Asks every `intervalMs` until the payment is no longer pending, or `signal` stops it. */
export async function waitUntilSettled(paymentId: string, intervalMs: number, signal: AbortSignal): Promise<SettledPayment | undefined> {
  while (!signal.aborted) {
    const { body } = await request('GET', `/payments/${encodeURIComponent(paymentId)}`);
    const payment = body as PaymentView & { status: 'pending' | 'paid' | 'closed' | 'refunded' };
    if (payment.status === 'paid') return { status: 'paid', receipt: payment };
    if (payment.status !== 'pending') return { status: payment.status };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return undefined;
}
