// A notification that fails is stored and retried until it goes out, never dropped.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOutbox } from '../../infra/local/outbox.ts';
import { listDueNotifications, MAX_ATTEMPTS, recordRetryOutcome } from '../../shared/data/notifications.ts';
import type { Notifier } from '../../shared/ports/notifier.ts';
import { reliableNotifier } from '../../shared/ports/reliable-notifier.ts';
import { handler as retryNotifications } from '../../functions/notifications/retry-notifications.ts';

const smsDown: Notifier = {
  send: async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' })),
  notifyStaff: async () => Promise.reject(new Error('topic unavailable')),
};
const message = (to: string) => ({ channel: 'sms' as const, to, template: 'case-approved' as const, params: { matter: '失业登记', caseId: 'C20261129-0042' }, reference: 'C20261129-0042' });
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);

afterEach(() => {
  vi.useRealTimers();
});

describe('reliable notifications', () => {
  it('stores a failed SMS instead of throwing, and the retry job sends it once it is due', async () => {
    await reliableNotifier(smsDown).send(message('+8613900000001'));
    const notYetDue = await retryNotifications();

    vi.useFakeTimers({ toFake: ['Date'], now: inMinutes(2) });
    const retried = await retryNotifications();
    const again = await retryNotifications();

    expect(notYetDue).toEqual({ sent: 0, failed: 0 });
    expect(retried).toEqual({ sent: 1, failed: 0 });
    expect(again).toEqual({ sent: 0, failed: 0 });
    const delivered = readOutbox(process.env.OUTBOX_FILE!, '+8613900000001');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.body).toContain('C20261129-0042');
  });

  it('parks a message that keeps failing as dead after the last attempt, off the retry index', async () => {
    await reliableNotifier(smsDown).notifyStaff({ centre: 'zizhuyuan', role: 'supervisor', category: 'employment', template: 'task-escalated', params: { matter: '失业登记', caseId: 'C1', role: '窗口经办', dueDate: '12月1日' }, reference: 'dead-one' });
    let [pending] = (await listDueNotifications(inMinutes(10_000), 100)).filter((n) => n.message.reference === 'dead-one');

    for (let attempt = pending!.attempts; attempt < MAX_ATTEMPTS; attempt++) {
      await recordRetryOutcome(pending!, { sent: false, error: 'still down' });
      [pending] = (await listDueNotifications(inMinutes(100_000), 100)).filter((n) => n.message.reference === 'dead-one');
      if (!pending) break;
      expect(pending.status).toBe('retrying');
    }

    expect(pending).toBeUndefined();
  });
});
