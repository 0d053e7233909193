// POST /payments/{id}/refund — staff of the bill's centre give money back through the payment's provider. The
// Idempotency-Key is required, and the merchant refund number is derived from the payment, the staff member and
// the key, so a repeat (even after a lost answer or a provider timeout) refunds once. The amount is reserved on
// the payment as the refund is written: refunds never exceed what was paid.

import { failRefund, getPayment, markRefundProcessing, requestRefund, settleRefund } from '../../shared/data/payments.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { businessRule, conflict, notFound, paymentProviderFailed } from '../../shared/domain/errors.ts';
import { refundable, refundIdFor, type Refund } from '../../shared/domain/payments.ts';
import * as api from '../../shared/api/payments.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { log } from '../../shared/log.ts';
import { WalletProviderError } from '../../shared/ports/wallet-provider.ts';
import { walletOf } from '../../shared/ports/wallets-from-env.ts';
import { notifyUrlOf } from './lib/notify-url.ts';

export const handler = apiHandler(api.refundPayment, async ({ params, body, caller, headers }) => {
  const centre = homeCentre(caller);
  const key = idempotencyKeyFrom(headers, true)!;
  return idempotent({ scope: 'refund-payment', userId: caller.userId, key, fingerprint: { paymentId: params.id, ...body } }, async () => {
    const payment = await getPayment(params.id);
    // Another centre's payment is 404, never 403: that would confirm it exists.
    if (!payment || payment.centre !== centre) throw notFound(`No payment ${params.id}.`);
    const refundId = refundIdFor(payment.paymentId, caller.userId, key);
    let refund = payment.refunds.find((r) => r.refundId === refundId);
    if (!refund) {
      if (payment.status !== 'paid') throw conflict('invalid_state', `Payment ${payment.paymentId} is ${payment.status}: only a paid payment is refunded.`);
      if (body.amount > refundable(payment)) {
        throw businessRule(`At most ${refundable(payment)} fen of payment ${payment.paymentId} can still be refunded.`, [{ path: 'amount', message: `at most ${refundable(payment)}` }]);
      }
      const wallet = walletOf(payment.provider);
      if (!wallet) throw businessRule(`Payment ${payment.paymentId} was taken by the ${payment.provider} provider, which makes no refunds here.`, [{ path: 'amount', message: 'not refundable here' }]);
      refund = {
        refundId,
        paymentId: payment.paymentId,
        billId: payment.billId,
        amount: body.amount,
        reason: body.reason,
        status: 'requested',
        requestedBy: caller.userId,
        requestedAt: new Date().toISOString(),
      };
      const written = await requestRefund(payment, refund);
      if (written === 'exceeds') throw businessRule(`Payment ${payment.paymentId} cannot refund ${body.amount} fen more.`, [{ path: 'amount', message: 'exceeds what is left' }]);
      if (written === 'exists') refund = (await getPayment(payment.paymentId))!.refunds.find((r) => r.refundId === refundId)!;
    }
    return created(api.refundView(refund.status === 'requested' ? await sendRefund(payment.provider, payment.amount, refund) : refund));
  });
});

/** Asks the provider; an answer it cannot give yet leaves the refund requested for a retry with the same key. */
async function sendRefund(provider: Parameters<typeof walletOf>[0], total: number, refund: Refund): Promise<Refund> {
  const wallet = walletOf(provider)!;
  try {
    const state = await wallet.refund({
      reference: refund.paymentId,
      refundReference: refund.refundId,
      amount: refund.amount,
      total,
      reason: refund.reason,
      notifyUrl: notifyUrlOf(provider as 'wechatpay' | 'alipay'),
    });
    const at = new Date().toISOString();
    if (state.status === 'succeeded') {
      await settleRefund(refund, at, state.providerRefundId);
      return { ...refund, status: 'succeeded', settledAt: at };
    }
    if (state.status === 'failed') {
      await failRefund(refund, 'REFUND_FAILED', at);
      return { ...refund, status: 'failed', settledAt: at };
    }
    await markRefundProcessing(refund.paymentId, refund.refundId, state.providerRefundId);
    return { ...refund, status: 'processing' };
  } catch (error) {
    if (!(error instanceof WalletProviderError)) throw error;
    log.warn('wallet refund failed', { paymentId: refund.paymentId, refundId: refund.refundId, errorCode: error.code, retryable: error.retryable });
    if (error.retryable) throw paymentProviderFailed(`The provider did not answer (${error.code}); retry with the same Idempotency-Key: it refunds once.`);
    await failRefund(refund, error.code, new Date().toISOString());
    throw businessRule(`The provider refused the refund (${error.code}).`, [{ path: 'amount', message: `refused: ${error.code}` }]);
  }
}
