// One reminder per item (an appointment, a bill), however often the reminder jobs run: the reminder is
// claimed with a conditional write first, and given back only if its message could not even be recorded (the
// notifier records and retries ordinary send failures itself), so the next run tries again. The notifier
// picks the channel (the resident may want reminders in the inbox) and holds an SMS due at night.

import { getResident } from '../../../shared/data/residents.ts';
import type { TemplateName, TemplateParams } from '../../../shared/domain/messages.ts';
import { log } from '../../../shared/log.ts';
import { notifier } from '../../../shared/ports/notifier-from-env.ts';

export type Reminder = {
  residentId: string;
  template: TemplateName;
  params: TemplateParams;
  /** The item's id: the SMS reference and the log key. */
  reference: string;
  claim: () => Promise<boolean>;
  release: () => Promise<void>;
};

/** True when this call sent the reminder. `now` is the job's time: a reminder due in the quiet hours waits for the morning. */
export async function remindOnce(reminder: Reminder, now: Date): Promise<boolean> {
  if (!(await reminder.claim())) return false;
  const profile = await getResident(reminder.residentId);
  if (!profile) {
    log.info('reminder not sent: the resident has no profile', { reference: reminder.reference, template: reminder.template });
    return false;
  }
  try {
    await notifier.send({ residentId: reminder.residentId, to: profile.phone, template: reminder.template, params: reminder.params, reference: reminder.reference }, { now });
    return true;
  } catch (error) {
    log.error('reminder could not be sent or stored; released for the next run', { reference: reminder.reference, errorName: (error as Error).name });
    await reminder.release();
    return false;
  }
}
