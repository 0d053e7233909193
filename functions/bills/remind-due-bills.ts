// Scheduled job (shared/schedules.ts): one SMS per unpaid bill when it comes within
// REMINDER_DAYS_BEFORE_DUE days of its due date. Bills are found by due date on a sparse index (no Scan);
// each reminder is claimed with a conditional write before it is sent, so two runs, even overlapping
// ones, send it once. An SMS that fails gives its claim back and the next run tries again.

import { billsAwaitingReminder, claimReminder, releaseReminder, type Bill } from '../../shared/data/bills.ts';
import { getResident } from '../../shared/data/residents.ts';
import { kindNameZh, periodForSms, reminderDueDates, yuan } from '../../shared/domain/bills.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';

/** EventBridge passes the scheduled time; without one the job runs for now. */
export async function handler(event: { time?: string } = {}): Promise<{ reminded: number }> {
  const now = event.time ? new Date(event.time) : new Date();
  let reminded = 0;
  for (const dueDate of reminderDueDates(shanghaiDate(now))) {
    for await (const bill of billsAwaitingReminder(dueDate)) {
      if (await remindOnce(bill, now.toISOString())) reminded++;
    }
  }
  return { reminded };
}

async function remindOnce(bill: Bill, at: string): Promise<boolean> {
  if (!(await claimReminder(bill.id, at))) return false;
  const profile = await getResident(bill.residentId);
  if (!profile) {
    log.info('due reminder not sent: the resident has no profile', { billId: bill.id });
    return false;
  }
  try {
    await notifier.send({
      channel: 'sms',
      to: profile.phone,
      template: 'bill-due',
      params: { period: periodForSms(bill.period), kind: kindNameZh(bill.kind), amount: yuan(bill.amount), dueDate: dateForSms(bill.dueDate) },
      reference: bill.id,
    });
    return true;
  } catch (error) {
    log.error('due reminder SMS failed; released for the next run', { billId: bill.id, errorName: (error as Error).name });
    await releaseReminder(bill, at);
    return false;
  }
}
