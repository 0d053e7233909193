// Scheduled job (shared/schedules.ts): the day before an appointment, one reminder SMS to the resident.
// Tomorrow's appointments are read per window from the day-list index keyed by date (no Scan); each
// reminder is claimed with a conditional write before it is sent, so two runs, even overlapping ones,
// send it once, and a cancelled appointment is never reminded.

import { appointmentsAwaitingReminder, claimReminder, releaseReminder, type Appointment } from '../../shared/data/appointments.ts';
import { getResident } from '../../shared/data/residents.ts';
import { addDays, shanghaiDate } from '../../shared/domain/calendar.ts';
import { CATEGORIES, findCategory } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';

/** EventBridge passes the scheduled time; without one the job runs for now. */
export async function handler(event: { time?: string } = {}): Promise<{ reminded: number }> {
  const now = event.time ? new Date(event.time) : new Date();
  const tomorrow = addDays(shanghaiDate(now), 1);
  let reminded = 0;
  for (const category of CATEGORIES) {
    for await (const appointment of appointmentsAwaitingReminder(tomorrow, category.code)) {
      if (await remindOnce(appointment, now.toISOString())) reminded++;
    }
  }
  return { reminded };
}

async function remindOnce(appointment: Appointment, at: string): Promise<boolean> {
  if (!(await claimReminder(appointment.id, at))) return false;
  const profile = await getResident(appointment.residentId);
  if (!profile) {
    log.info('appointment reminder not sent: the resident has no profile any more', { appointmentId: appointment.id });
    return false;
  }
  try {
    await notifier.send({
      channel: 'sms',
      to: profile.phone,
      template: 'appointment-reminder',
      params: {
        date: dateForSms(appointment.date),
        time: appointment.time,
        window: findCategory(appointment.category)!.name.zh,
        ticket: appointment.ticket,
      },
      reference: appointment.id,
    });
    return true;
  } catch (error) {
    log.error('appointment reminder could not be sent or stored; released for the next run', {
      appointmentId: appointment.id,
      errorName: (error as Error).name,
    });
    await releaseReminder(appointment.id, at);
    return false;
  }
}
