// Paying a bill, in both forms the API answers. Real wallets (API.md v2 "Real money") answer 202 with the
// payment pending and what the resident needs to pay in the wallet app (a QR code URL or a redirect), and
// the payment becomes paid when the provider tells the platform; the page then watches GET /payments/{id}
// until it is settled. The simulated provider (PAYMENT_PROVIDER=simulated) charges at once: 201 with the receipt.

import { call, callForAnswer } from './api/client.ts';
import { ApiProblem } from './api/problem.ts';
import type { PaymentRecordView, PaymentView, PendingPaymentView } from './api/types.ts';

export type PayMethod = 'wechat' | 'alipay';
export type PayChannel = 'qr' | 'h5';

export type PendingPayment = { paymentId: string; method: string; codeUrl?: string; redirectUrl?: string; expiresAt?: string };
export type PaymentOutcome = { kind: 'paid'; receipt: PaymentView } | { kind: 'pending'; payment: PendingPayment };

/**
 * A phone: a touch screen (coarse primary pointer) whose shorter side is under the layout's 720 px breakpoint,
 * in either orientation. It pays in its own browser (h5), since it cannot scan a code on its own screen. A PC,
 * a tablet and the hall's touch screens get the QR code, for another phone; its link still opens the wallet.
 */
const PHONE = '(pointer: coarse) and (max-width: 719px), (pointer: coarse) and (max-height: 719px)';

export const payChannelHere = (): PayChannel => (matchMedia(PHONE).matches ? 'h5' : 'qr');

const pendingOf = (view: PendingPaymentView | PaymentRecordView): PendingPayment => ({
  paymentId: view.paymentId,
  method: view.method,
  ...(view.pay?.channel === 'qr' ? { codeUrl: view.pay.codeUrl } : {}),
  ...(view.pay?.channel === 'h5' ? { redirectUrl: view.pay.redirectUrl } : {}),
  ...(view.expiresAt ? { expiresAt: view.expiresAt } : {}),
});

export async function payBill(billId: string, amount: number, method: PayMethod, channel: PayChannel, idempotencyKey: string): Promise<PaymentOutcome> {
  const answer = await callForAnswer('POST /bills/{id}/pay', { params: { id: billId }, body: { amount, method, channel }, idempotencyKey });
  if (answer.status !== 202) return { kind: 'paid', receipt: answer.body as PaymentView };
  return { kind: 'pending', payment: pendingOf(answer.body as PendingPaymentView) };
}

export type SettledPayment = { status: 'paid'; receipt: PaymentView } | { status: 'closed' | 'refunded' };
export type PaymentState = { status: 'pending'; payment: PendingPayment } | SettledPayment;

function stateOf(payment: PaymentRecordView): PaymentState {
  if (payment.status === 'pending') return { status: 'pending', payment: pendingOf(payment) };
  if (payment.status === 'paid') {
    return { status: 'paid', receipt: { paymentId: payment.paymentId, billId: payment.billId, amount: payment.amount, paidAt: payment.paidAt!, receiptNo: payment.receiptNo! } };
  }
  return { status: payment.status };
}

/** A payment of this bill that the page's address names; undefined when it is not the caller's (404) or another bill's. */
export async function paymentOfBill(billId: string, paymentId: string): Promise<PaymentState | undefined> {
  try {
    const payment = await call('GET /payments/{id}', { params: { id: paymentId } });
    return payment.billId === billId ? stateOf(payment) : undefined;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
}

/** Asks every `intervalMs` until the payment is no longer pending, or `signal` stops it. */
export async function waitUntilSettled(paymentId: string, intervalMs: number, signal: AbortSignal): Promise<SettledPayment | undefined> {
  while (!signal.aborted) {
    const state = stateOf(await call('GET /payments/{id}', { params: { id: paymentId } }));
    if (state.status !== 'pending') return state;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return undefined;
}
