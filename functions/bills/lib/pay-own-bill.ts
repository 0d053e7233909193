// Paying a bill: check it is the caller's, unpaid and the amount is right; charge through the
// PaymentProvider under the bill's own reference; then mark the bill paid and record the payment in one
// conditional transaction; then send the SMS receipt. A provider failure leaves the bill unpaid (502) and
// a retry settles it: the provider answers a reference it has already charged with that same charge.

import { randomUUID } from 'node:crypto';
import { getBill, recordPayment } from '../../../shared/data/bills.ts';
import { type Bill, type Payment } from '../../../shared/domain/bills.ts';
import { getResident } from '../../../shared/data/residents.ts';
import { kindNameZh, periodForSms, providerReferenceFor, receiptNumber, yuan, type PaymentMethod } from '../../../shared/domain/bills.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { businessRule, conflict, notFound, paymentProviderFailed } from '../../../shared/domain/errors.ts';
import { log } from '../../../shared/log.ts';
import { notifier } from '../../../shared/ports/notifier-from-env.ts';
import { PaymentProviderError, type Charge } from '../../../shared/ports/payment-provider.ts';
import { paymentProvider } from '../../../shared/ports/payment-provider-from-env.ts';
import { paymentView } from '../../../shared/api/bills.ts';

export type PayRequest = { billId: string; residentId: string; amount: number; method: PaymentMethod; idempotencyKey: string };

export async function payOwnBill(request: PayRequest): Promise<ReturnType<typeof paymentView>> {
  const bill = await getBill(request.billId);
  // Someone else's bill is 404, never 403: that would confirm it exists.
  if (!bill || bill.residentId !== request.residentId) throw notFound(`No bill ${request.billId}.`);
  if (bill.payment) {
    // Paid under this very key, but its answer was lost (the function stopped before storing it): give it again.
    if (bill.payment.idempotencyKey === request.idempotencyKey) return paymentView(bill.payment);
    throw conflict('already_paid', `Bill ${bill.id} is paid already.`);
  }
  if (request.amount !== bill.amount) {
    throw businessRule(`Bill ${bill.id} is for ${bill.amount} fen; pay exactly that amount.`, [
      { path: 'amount', message: `must be ${bill.amount}` },
    ]);
  }

  const charge = await chargeFor(bill, request.method);
  const paidAt = new Date();
  const paymentId = `PAY-${randomUUID()}`;
  const payment: Payment = {
    paymentId,
    billId: bill.id,
    residentId: bill.residentId,
    amount: charge.amount,
    method: charge.method,
    chargeId: charge.chargeId,
    paidAt: paidAt.toISOString(),
    receiptNo: receiptNumber(shanghaiDate(paidAt), paymentId),
    idempotencyKey: request.idempotencyKey,
  };
  await recordPayment(payment);
  await sendReceipt(bill, payment);
  return paymentView(payment);
}

async function chargeFor(bill: Bill, method: PaymentMethod): Promise<Charge> {
  try {
    return await paymentProvider.charge({
      reference: providerReferenceFor(bill.id),
      amount: bill.amount,
      method,
      description: `${periodForSms(bill.period)}${kindNameZh(bill.kind)}`,
    });
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    log.warn('payment provider failed', { billId: bill.id, errorMessage: error.message });
    throw paymentProviderFailed(`The payment provider did not complete the charge; bill ${bill.id} is still unpaid. Retry with the same Idempotency-Key.`);
  }
}

/**
 * The payment stands whether or not the SMS goes out, so a failed receipt is logged, not answered as an
 * error (the receipt number is in the answer and the bill shows as paid).
 */
async function sendReceipt(bill: Bill, payment: Payment): Promise<void> {
  const profile = await getResident(bill.residentId);
  if (!profile) {
    log.info('payment receipt not sent: the resident has no profile', { billId: bill.id });
    return;
  }
  try {
    await notifier.send({
      residentId: bill.residentId,
      to: profile.phone,
      template: 'bill-paid',
      params: { period: periodForSms(bill.period), kind: kindNameZh(bill.kind), amount: yuan(payment.amount), receiptNo: payment.receiptNo },
      reference: bill.id,
    });
  } catch (error) {
    log.warn('payment receipt SMS failed', { billId: bill.id, errorName: (error as Error).name });
  }
}
