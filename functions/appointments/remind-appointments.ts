// Scheduled job (shared/schedules.ts): the day before an appointment, one reminder SMS to the resident.
// Tomorrow's appointments are read per centre and window from the day-list index (no Scan); each
// reminder is claimed with a conditional write before it is sent, so two runs, even overlapping ones,
// send it once, and a cancelled appointment is never reminded.

import { appointmentsAwaitingReminder, claimReminder, releaseReminder } from '../../shared/data/appointments.ts';
import { type Appointment } from '../../shared/domain/appointments.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { CATEGORIES, findCategory } from '../../shared/domain/catalog.ts';
import { CENTRES } from '../../shared/domain/centres.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { remindOnce, type Reminder } from '../notifications/lib/remind-once.ts';

/** EventBridge passes the scheduled time; without one the job runs for now. */
export async function handler(event: { time?: string } = {}): Promise<{ reminded: number }> {
  const now = event.time ? new Date(event.time) : new Date();
  const tomorrow = addDays(shanghaiDate(now), 1);
  let reminded = 0;
  for (const centre of CENTRES) {
    for (const category of CATEGORIES) {
      for await (const appointment of appointmentsAwaitingReminder(centre.code, category.code, tomorrow)) {
        if (await remindOnce(reminderOf(appointment, now.toISOString()), now)) reminded++;
      }
    }
  }
  return { reminded };
}

const reminderOf = (appointment: Appointment, at: string): Reminder => ({
  residentId: appointment.residentId,
  template: 'appointment-reminder',
  params: {
    date: dateForSms(appointment.date),
    time: appointment.time,
    window: findCategory(appointment.category)!.name.zh,
    ticket: appointment.ticket,
  },
  reference: appointment.id,
  claim: () => claimReminder(appointment.id, at),
  release: () => releaseReminder(appointment.id, at),
});
