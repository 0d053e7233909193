// Sends a resident an SMS about their case. The notifier stores a failed SMS for retry; a failure to even
// read the profile is logged, not thrown: the case's state change is written and must not be undone or
// marked failed because a message did not go out.

import { getResident } from '../../../shared/data/residents.ts';
import type { TemplateName, TemplateParams } from '../../../shared/domain/messages.ts';
import { log } from '../../../shared/log.ts';
import { notifier } from '../../../shared/ports/notifier-from-env.ts';

export async function notifyResident(residentId: string, template: TemplateName, params: TemplateParams, reference: string) {
  try {
    const profile = await getResident(residentId);
    if (!profile) return;
    await notifier.send({ residentId, to: profile.phone, template, params, reference });
  } catch (error) {
    log.error('resident notification failed', { reference, template, errorName: (error as Error).name });
  }
}
