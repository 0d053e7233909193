// The receipt SMS of a paid bill, sent once by whoever booked the payment. The payment stands whether or not the
// SMS goes out: the reliable notifier keeps a failed one for its retry job, and a resident without a profile
// (no phone) simply gets none.

import type { Bill } from '../../../shared/domain/bills.ts';
import { getResident } from '../../../shared/data/residents.ts';
import { kindNameZh, periodForSms, yuan } from '../../../shared/domain/bills.ts';
import { log } from '../../../shared/log.ts';
import { notifier } from '../../../shared/ports/notifier-from-env.ts';

export async function sendReceipt(bill: Pick<Bill, 'id' | 'residentId' | 'kind' | 'period'>, paid: { amount: number; receiptNo: string }): Promise<void> {
  const profile = await getResident(bill.residentId).catch(() => undefined);
  if (!profile) {
    log.info('payment receipt not sent: the resident has no profile', { billId: bill.id });
    return;
  }
  try {
    await notifier.send({
      residentId: bill.residentId,
      to: profile.phone,
      template: 'bill-paid',
      params: { period: periodForSms(bill.period), kind: kindNameZh(bill.kind), amount: yuan(paid.amount), receiptNo: paid.receiptNo },
      reference: bill.id,
    });
  } catch (error) {
    log.warn('payment receipt SMS failed', { billId: bill.id, errorName: (error as Error).name });
  }
}
