// Scheduled job: sends again every stored notification whose next attempt is due. Each is leased first,
// so overlapping runs never send one twice; a message failing MAX_ATTEMPTS times is parked as dead.

import { leaseForRetry, listDueNotifications, recordRetryOutcome } from '../../shared/data/notifications.ts';
import type { DirectMessage, StaffMessage } from '../../shared/ports/notifier.ts';
import { deliveryNotifier } from '../../shared/ports/notifier-from-env.ts';

const BATCH = 50;

export const handler = async () => {
  const now = new Date();
  let sent = 0;
  let failed = 0;
  for (const n of await listDueNotifications(now, BATCH)) {
    if (!(await leaseForRetry(n, now))) continue;
    try {
      if (n.kind === 'direct') await deliveryNotifier.send(n.message as DirectMessage);
      else await deliveryNotifier.notifyStaff(n.message as StaffMessage);
      await recordRetryOutcome(n, { sent: true });
      sent++;
    } catch (error) {
      await recordRetryOutcome(n, { sent: false, error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) });
      failed++;
    }
  }
  return { sent, failed };
};
