// One notify route's work, for either provider: the signature first (the adapter verifies it over the exact raw
// body, with the timestamp window and the merchant's ids), so anything forged or changed is answered in the
// provider's failure format and changes nothing; then the order it names is booked, or its refund settled.

import { failRefund, getPayment, settleRefund } from '../../../shared/data/payments.ts';
import type { PaymentProviderName } from '../../../shared/domain/payments.ts';
import { log } from '../../../shared/log.ts';
import type { NotificationAck, WalletProvider } from '../../../shared/ports/wallet-provider.ts';
import { settlePaid } from './settle.ts';

export async function acceptNotification(
  provider: PaymentProviderName,
  wallet: WalletProvider,
  headers: Record<string, string | undefined>,
  rawBody: string,
): Promise<NotificationAck> {
  const notification = await wallet.parseNotification(headers, rawBody);
  if (!notification) {
    log.warn('payment notification refused: it does not verify', { provider });
    return wallet.acknowledge(false);
  }
  const payment = await getPayment(notification.reference);
  if (!payment || payment.provider !== provider) {
    // Verified, so money may have moved for an order this platform does not know: never silent.
    log.error('payment notification for an unknown order', { provider, paymentId: notification.reference });
    return wallet.acknowledge(false);
  }
  if (notification.kind === 'payment') {
    const outcome = await settlePaid(payment, notification, 'notification');
    return wallet.acknowledge(outcome !== 'amount_mismatch');
  }
  const refund = payment.refunds.find((r) => r.refundId === notification.refundReference);
  if (!refund) {
    log.error('refund notification for an unknown refund', { provider, paymentId: payment.paymentId, refundId: notification.refundReference });
    return wallet.acknowledge(false);
  }
  const at = new Date().toISOString();
  if (notification.status === 'succeeded') await settleRefund(refund, at, notification.providerRefundId);
  else await failRefund(refund, 'REFUND_FAILED', at);
  return wallet.acknowledge(true);
}
