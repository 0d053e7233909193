// Scheduled job (shared/schedules.ts): one SMS per unpaid bill when it comes within
// REMINDER_DAYS_BEFORE_DUE days of its due date. Bills are found by due date on a sparse index (no Scan);
// each reminder is claimed with a conditional write before it is sent, so two runs, even overlapping
// ones, send it once (functions/notifications/remind-once.ts).

import { billsAwaitingReminder, claimReminder, releaseReminder } from '../../shared/data/bills.ts';
import { type Bill } from '../../shared/domain/bills.ts';
import { kindNameZh, periodForSms, reminderDueDates, yuan } from '../../shared/domain/bills.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { remindOnce, type Reminder } from '../notifications/lib/remind-once.ts';

/** EventBridge passes the scheduled time; without one the job runs for now. */
export async function handler(event: { time?: string } = {}): Promise<{ reminded: number }> {
  const now = event.time ? new Date(event.time) : new Date();
  let reminded = 0;
  for (const dueDate of reminderDueDates(shanghaiDate(now))) {
    for await (const bill of billsAwaitingReminder(dueDate)) {
      if (await remindOnce(reminderOf(bill, now.toISOString()), now)) reminded++;
    }
  }
  return { reminded };
}

const reminderOf = (bill: Bill, at: string): Reminder => ({
  residentId: bill.residentId,
  template: 'bill-due',
  params: { period: periodForSms(bill.period), kind: kindNameZh(bill.kind), amount: yuan(bill.amount), dueDate: dateForSms(bill.dueDate) },
  reference: bill.id,
  claim: () => claimReminder(bill.id, at),
  release: () => releaseReminder(bill, at),
});
