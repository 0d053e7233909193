// Wraps a Notifier so that a message is never dropped: if sending fails, the message is stored for the
// retry job (functions/notifications/retry-notifications.ts) and the caller carries on — a case, a booking
// or a payment must not fail because an SMS did not go out.

import { recordFailedNotification } from '../data/notifications.ts';
import { log } from '../log.ts';
import type { Notifier } from './notifier.ts';

export function reliableNotifier(base: Notifier): Notifier {
  const guard = async (kind: 'direct' | 'staff', send: () => Promise<void>, message: Parameters<Notifier['send']>[0] | Parameters<Notifier['notifyStaff']>[0]) => {
    try {
      await send();
    } catch (error) {
      const reason = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300);
      const id = await recordFailedNotification(kind, message, reason);
      log.warn('notification failed; stored for retry', { notificationId: id, template: message.template, reference: message.reference });
    }
  };
  return {
    send: (message) => guard('direct', () => base.send(message), message),
    notifyStaff: (message) => guard('staff', () => base.notifyStaff(message), message),
  };
}
