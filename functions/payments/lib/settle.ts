// Booking what a wallet provider says about an order, shared by the notify routes, the reconciliation job and a
// payer who finds an order already paid. Whatever the path, a paid order is booked by the one conditional
// transaction of shared/data/payments.ts (markPaid), so a repeat, a race between a notification and the job, or
// five identical notifications book it once and send one receipt. Money the platform cannot book as the bill's
// payment is never dropped silently: it becomes an alarm item for the bill's centre and an ERROR log line with
// ids only (the monitoring stack alarms on it).

import { getBill } from '../../../shared/data/bills.ts';
import { closeOrder, getPayment, markPaid, markPaidTwice, raiseAlarm, type ProviderPaid } from '../../../shared/data/payments.ts';
import { receiptNumber } from '../../../shared/domain/bills.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { MISMATCH_LOG_MESSAGE, type PaymentAlarm, type WalletPayment } from '../../../shared/domain/payments.ts';
import { log } from '../../../shared/log.ts';
import { WalletProviderError, type WalletProvider } from '../../../shared/ports/wallet-provider.ts';
import { sendReceipt } from './receipt.ts';

/** `paid`: booked now (its receipt sent); `already`: booked before; the other two raised an alarm or were refused. */
export type Settlement = 'paid' | 'already' | 'paid_twice' | 'amount_mismatch';

const MARK_ATTEMPTS = 3;

function alarmOf(payment: WalletPayment, paid: ProviderPaid, kind: PaymentAlarm['kind'], paidByPaymentId?: string): PaymentAlarm {
  return {
    paymentId: payment.paymentId,
    billId: payment.billId,
    centre: payment.centre,
    kind,
    raisedAt: new Date().toISOString(),
    orderAmount: payment.amount,
    providerAmount: paid.amount,
    ...(paid.providerTransactionId ? { providerTransactionId: paid.providerTransactionId } : {}),
    ...(paidByPaymentId ? { paidByPaymentId } : {}),
  };
}

const logMismatch = (alarm: Pick<PaymentAlarm, 'paymentId' | 'billId' | 'centre' | 'kind'>, source: string) =>
  log.error(MISMATCH_LOG_MESSAGE, { paymentId: alarm.paymentId, billId: alarm.billId, centre: alarm.centre, kind: alarm.kind, source });

/**
 * The provider says the order is paid. A notification whose amount or merchant is not the order's is refused
 * (nothing written; the provider's own answer to a query settles it); the provider's answer to a query is
 * authoritative, so there such a difference raises an alarm.
 */
export async function settlePaid(payment: WalletPayment, paid: ProviderPaid, source: 'notification' | 'query'): Promise<Settlement> {
  if (paid.amount !== payment.amount || paid.merchantId !== payment.merchantId) {
    const alarm = alarmOf(payment, paid, 'amount_mismatch');
    logMismatch(alarm, source);
    if (source === 'query') await raiseAlarm(alarm);
    return 'amount_mismatch';
  }
  const receiptNo = receiptNumber(shanghaiDate(new Date(paid.paidAt)), payment.paymentId);
  for (let attempt = 1; attempt <= MARK_ATTEMPTS; attempt++) {
    if (await markPaid(payment, paid, receiptNo)) {
      const bill = await getBill(payment.billId);
      if (bill) await sendReceipt(bill, { amount: paid.amount, receiptNo });
      log.info('payment booked', { paymentId: payment.paymentId, billId: payment.billId, source });
      return 'paid';
    }
    const [current, bill] = await Promise.all([getPayment(payment.paymentId), getBill(payment.billId)]);
    if (!current || current.status === 'paid' || current.status === 'refunded') return 'already';
    if (bill?.status === 'paid') {
      const alarm = alarmOf(current, paid, 'paid_twice', bill.paymentId);
      if (await markPaidTwice(current, paid, alarm)) {
        logMismatch(alarm, source);
        return 'paid_twice';
      }
    }
  }
  throw new Error(`Payment ${payment.paymentId} could not be booked after ${MARK_ATTEMPTS} attempts`);
}

export type ProviderOutcome = Settlement | 'closed' | 'pending';

/** Asks the provider about the order and books its answer: paid, closed, or still pending (also not created yet). */
export async function settleFromProvider(payment: WalletPayment, wallet: WalletProvider): Promise<ProviderOutcome> {
  const state = await wallet.queryOrder(payment.paymentId);
  if (state.status === 'paid' || state.status === 'refunded') {
    const paid: ProviderPaid = {
      amount: state.amount ?? 0,
      merchantId: wallet.merchantId,
      providerTransactionId: state.providerTransactionId ?? '',
      paidAt: state.paidAt ?? new Date().toISOString(),
    };
    return settlePaid(payment, paid, 'query');
  }
  if (state.status === 'closed') {
    await closeOrder(payment, new Date().toISOString());
    return 'closed';
  }
  return 'pending';
}

/**
 * Closes an unpaid order at the provider and then here, which unlocks the bill. An order the provider had paid
 * meanwhile is booked instead.
 */
export async function closeUnpaidOrder(payment: WalletPayment, wallet: WalletProvider): Promise<ProviderOutcome> {
  try {
    await wallet.closeOrder(payment.paymentId);
  } catch (error) {
    if (error instanceof WalletProviderError && error.code === 'ORDER_PAID') return settleFromProvider(payment, wallet);
    throw error;
  }
  await closeOrder(payment, new Date().toISOString());
  log.info('payment order closed', { paymentId: payment.paymentId, billId: payment.billId });
  return 'closed';
}
