// The notice fan-out: every resident of the community once, nobody outside it, however the job is repeated,
// raced, resumed page by page, or interrupted by failed sends, failed writes and dead runs; by SMS or in the
// inbox as each resident chose for general notices, always by SMS for emergencies, general ones held at night.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as fanOutNotices } from '../../functions/messages/fan-out-messages.ts';
import { runFanOut, type FanOutOutcome } from '../../functions/messages/lib/fan-out.ts';
import { handler as publishNoticeHandler } from '../../functions/notices/publish-notice.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { handler as listMyMessages } from '../../functions/messages/list-my-messages.ts';
import { handler as putMyPreferences } from '../../functions/messages/put-my-preferences.ts';
import { handler as sendQueuedMessages } from '../../functions/messages/send-queued-messages.ts';
import { db } from '../../shared/data/client.ts';
import { createMessagesOnce } from '../../shared/data/messages.ts';
import { getFanOutJob, leaseExpiry, leaseFanOutJob, listDueFanOutJobs, type FanOutJob } from '../../shared/data/fan-outs.ts';
import { getNotice, publishNotice } from '../../shared/data/notices.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import { noticeSmsParams, type Notice } from '../../shared/domain/notices.ts';
import type { DirectMessage, Notifier } from '../../shared/ports/notifier.ts';
import { outboxNotifier } from '../../shared/ports/outbox-notifier.ts';
import { onceMessageId, reliableNotifier } from '../../shared/ports/reliable-notifier.ts';
import { invoke } from '../support/invoke.ts';

const STAFF = { sub: 'staff-notices', role: 'staff' as const };
const MAPLE = 'sunshine-garden';
const WILLOW = 'zizhuyuan';
const phoneOf = (n: number) => `+86139${String(n).padStart(8, '0')}`;
/** 20 residents in maple-court, 10 in willow-bank. */
const RESIDENTS = Array.from({ length: 30 }, (_, i) => ({ userId: `fan-${String(i).padStart(2, '0')}`, phone: phoneOf(i + 1), community: i < 20 ? MAPLE : WILLOW }));
const phonesIn = (community: string) => RESIDENTS.filter((r) => r.community === community).map((r) => r.phone).sort();

const smsOf = (noticeId: string) => readOutbox(process.env.OUTBOX_FILE!).filter((m) => m.reference === noticeId);
const recipientsOf = (noticeId: string) => smsOf(noticeId).map((m) => m.to).sort();

let counter = 0;
/** A notice written with its fan-out job but not yet sent to anyone, as POST /notices leaves it before its first page. */
async function unsentNotice(community: string) {
  const now = new Date();
  const notice: Notice = {
    id: `N-fan-out-${++counter}`,
    community,
    kind: 'power-outage',
    title: '计划停电',
    body: '12月5日8时至12时线路检修，电梯暂停使用。',
    startsAt: now.toISOString(),
    publishedAt: now.toISOString(),
    publishedBy: STAFF.sub,
  };
  return publishNotice(notice, now);
}

/** Takes a due job the way the scheduled job does. */
async function leaseDue(noticeId: string): Promise<FanOutJob | undefined> {
  const due = (await listDueFanOutJobs(new Date(), 100)).find((j) => 'noticeId' in j && j.noticeId === noticeId);
  return due && leaseFanOutJob(due, new Date());
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const outbox = outboxNotifier(process.env.OUTBOX_FILE!);

/** Fails the next `times` attempts to write a message record of `userId`, past the SDK's own retries. */
function failClaimsOf(userId: string, times: number) {
  let left = times;
  db.middlewareStack.add(
    (next) => async (args) => {
      const input = (args as { input?: { TransactItems?: { Put?: { Item?: { pk?: { S?: string } } } }[] } }).input;
      if (left > 0 && input?.TransactItems?.some((item) => item.Put?.Item?.pk?.S === `RESIDENT#${userId}`)) {
        left--;
        throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
      }
      return next(args);
    },
    { step: 'deserialize', name: 'failClaims', override: true },
  );
}

beforeAll(async () => {
  for (const [i, r] of RESIDENTS.entries()) {
    const first17 = `11010519800101${String(i + 100).padStart(3, '0')}`;
    await saveResident({
      userId: r.userId,
      name: '测试居民',
      idNumber: first17 + checkCharacter(first17),
      birthDate: '1980-01-01',
      sex: (i + 100) % 2 === 1 ? 'male' : 'female',
      phone: r.phone,
      community: r.community,
      updatedAt: new Date().toISOString(),
    });
  }
});

afterEach(() => {
  vi.useRealTimers();
  db.middlewareStack.remove('failClaims');
});

describe('notice fan-out', () => {
  it('texts every resident of the community once on publish, and nobody outside it', async () => {
    const res = await invoke(publishNoticeHandler, 'POST /notices', {
      caller: STAFF,
      body: { community: MAPLE, kind: 'water-outage', title: '停水通知', body: '12月3日9时至17时管道检修，请提前储水。', startsAt: new Date().toISOString() },
    });

    expect(res.status).toBe(201);
    expect(recipientsOf(res.body.id)).toEqual(phonesIn(MAPLE));
    expect(smsOf(res.body.id)[0]!.body).toBe('【智慧社区】停水通知「停水通知」12月3日9时至17时管道检修，请提前储水。');
    expect(await getFanOutJob({ noticeId: res.body.id })).toMatchObject({ status: 'done', sent: 20 });
    expect((await listDueFanOutJobs(minutesFromNow(60), 100)).map((j) => 'noticeId' in j && j.noticeId)).not.toContain(res.body.id);
  });

  it('sends nothing more when the finished fan-out is run again', async () => {
    const job = await unsentNotice(WILLOW);
    await fanOutNotices();

    const again = await fanOutNotices();
    const rerun = await runFanOut(job);

    expect(again.sent).toBe(0);
    expect(rerun.sent).toBe(0);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
  });

  it('resumes page by page from the cursor on the job, one run holding it at a time', async () => {
    const job = await unsentNotice(MAPLE);

    const runs: { sent: number; finished: boolean }[] = [];
    for (;;) {
      const [held, rival] = await Promise.all([leaseDue(job.noticeId), leaseDue(job.noticeId)]);
      expect([held, rival].filter(Boolean)).toHaveLength(1);
      const outcome = await runFanOut((held ?? rival)!, { pageSize: 7, maxPages: 1 });
      runs.push(outcome);
      if (outcome.finished) break;
    }

    expect(runs).toEqual([
      { sent: 7, finished: false },
      { sent: 7, finished: false },
      { sent: 6, finished: true },
    ]);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(MAPLE));
    expect(await getFanOutJob({ noticeId: job.noticeId })).toMatchObject({ status: 'done', sent: 20 });
  });

  it('sends each resident once when a run overruns its lease and another takes the job over mid-page', async () => {
    const job = await unsentNotice(MAPLE);
    let takeover: Promise<FanOutOutcome> | undefined;
    // The first SMS stalls past the run's lease; meanwhile the scheduled job takes the job over.
    const stalling: Notifier = {
      send: async (m: DirectMessage) => {
        if (!takeover) {
          vi.useFakeTimers({ toFake: ['Date'], now: minutesFromNow(2.5) });
          takeover = leaseDue(job.noticeId).then((held) => runFanOut(held!, { pageSize: 5 }));
          await takeover;
        }
        return outbox.send(m);
      },
      notifyStaff: outbox.notifyStaff,
    };

    const overrun = await runFanOut((await leaseDue(job.noticeId))!, { pageSize: 5, notifier: reliableNotifier(stalling, { smsPerSecond: 1000 }) });
    const tookOver = await takeover!;
    vi.setSystemTime(minutesFromNow(5));
    const later = await fanOutNotices();

    // The overrun run had claimed its page and the one it read ahead before it stalled: the takeover finds
    // them held, hands the job back to read them again, and the next run sends the rest.
    expect(overrun).toEqual({ sent: 10, finished: false });
    expect(tookOver).toEqual({ sent: 0, finished: false });
    expect(later).toMatchObject({ sent: 10, finished: 1 });
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(MAPLE));
  });

  it('queues the SMS the provider refused for now; the queued-message job sends them, each resident once', async () => {
    const job = await unsentNotice(WILLOW);
    const refused = new Set(phonesIn(WILLOW).slice(0, 3));
    const smsGatewayDown: Notifier = {
      send: async (m: DirectMessage) => (refused.has(m.to) ? Promise.reject(Object.assign(new Error('gateway down'), { name: 'ServiceUnavailable', $fault: 'server' })) : outbox.send(m)),
      notifyStaff: outbox.notifyStaff,
    };

    const first = await runFanOut((await leaseDue(job.noticeId))!, { notifier: reliableNotifier(smsGatewayDown, { smsPerSecond: 1000 }) });
    const sentAtOnce = recipientsOf(job.noticeId);
    const retried = await sendQueuedMessages({ time: minutesFromNow(1.5).toISOString() });

    expect(first).toEqual({ sent: 10, finished: true });
    expect(sentAtOnce).toHaveLength(7);
    expect(retried.sent).toBe(3);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
    expect(await getFanOutJob({ noticeId: job.noticeId })).toMatchObject({ status: 'done', sent: 10 });
  });

  it('reads a page again when its claims could not be written, and sends each resident once', async () => {
    const job = await unsentNotice(WILLOW);
    const [unlucky] = RESIDENTS.filter((r) => r.community === WILLOW);
    failClaimsOf(unlucky!.userId, 20);

    const first = await runFanOut((await leaseDue(job.noticeId))!, { pageSize: 5 });
    db.middlewareStack.remove('failClaims');
    const tooSoon = await leaseDue(job.noticeId);
    vi.useFakeTimers({ toFake: ['Date'], now: minutesFromNow(2) });
    const retried = await fanOutNotices();

    // The five of the page with the unlucky resident are claimed in one transaction: none of them went out;
    // the page read ahead did.
    expect(first).toEqual({ sent: 5, finished: false });
    expect(tooSoon).toBeUndefined();
    expect(retried.sent).toBe(5);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
    expect(await getFanOutJob({ noticeId: job.noticeId })).toMatchObject({ status: 'done', sent: 10 });
  });

  it('sends the SMS of a run that died after claiming it, once its claim has run out', async () => {
    const job = await unsentNotice(WILLOW);
    const dead = (await leaseDue(job.noticeId))!;
    const [claimedThenDied] = RESIDENTS.filter((r) => r.community === WILLOW);
    const notice = (await getNotice(job.noticeId))!;
    await createMessagesOnce(
      [{
        message: {
          id: onceMessageId(job.noticeId, claimedThenDied!.userId),
          residentId: claimedThenDied!.userId,
          channel: 'sms',
          template: 'emergency-notice',
          params: noticeSmsParams(notice),
          reference: job.noticeId,
          to: claimedThenDied!.phone,
          status: 'queued',
          createdAt: notice.publishedAt,
          attempts: 0,
        },
        claimedUntil: new Date(leaseExpiry(dead).getTime() + 60_000),
      }],
      new Date(),
    );

    // Past the dead run's lease on the job (2 minutes), not yet past its claim (a minute more).
    vi.useFakeTimers({ toFake: ['Date'], now: minutesFromNow(2.5) });
    const whileClaimed = await fanOutNotices();
    const beforeClaimRanOut = recipientsOf(job.noticeId);
    vi.setSystemTime(minutesFromNow(1.5));
    const afterClaim = await fanOutNotices();

    expect(whileClaimed).toMatchObject({ sent: 9, finished: 0 });
    expect(beforeClaimRanOut).not.toContain(claimedThenDied!.phone);
    expect(afterClaim).toMatchObject({ sent: 1, finished: 1 });
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
  });
});

describe('notices by preference and at night', () => {
  const at22h = new Date('2031-06-10T22:00:00+08:00');
  const general = async (community: string, kind: Notice['kind']) => {
    const notice: Notice = { id: `N-night-${++counter}`, community, kind, title: '夜间通知', body: '明日社区活动室开放。', startsAt: new Date().toISOString(), publishedAt: new Date().toISOString(), publishedBy: STAFF.sub };
    return publishNotice(notice, new Date());
  };

  it('puts a general notice in the inbox of residents who chose it and texts the others, at night only in the morning', async () => {
    const inboxFans = RESIDENTS.filter((r) => r.community === WILLOW).slice(0, 4);
    for (const r of inboxFans) {
      await invoke(putMyPreferences, 'PUT /me/preferences', { caller: { sub: r.userId, role: 'resident' }, body: { billReminders: 'sms', receipts: 'sms', appointmentReminders: 'sms', communityNotices: 'inbox' } });
    }
    const job = await general(WILLOW, 'general');

    const run = await runFanOut((await leaseDue(job.noticeId))!, { now: at22h });
    const atNight = recipientsOf(job.noticeId);
    await sendQueuedMessages({ time: new Date('2031-06-11T07:59:00+08:00').toISOString() });
    const beforeEight = recipientsOf(job.noticeId);
    await sendQueuedMessages({ time: new Date('2031-06-11T08:00:00+08:00').toISOString() });

    expect(run).toEqual({ sent: 10, finished: true });
    expect(atNight).toEqual([]);
    expect(beforeEight).toEqual([]);
    const texted = phonesIn(WILLOW).filter((phone) => !inboxFans.some((r) => r.phone === phone));
    expect(recipientsOf(job.noticeId)).toEqual(texted);
    const fanInbox = (await invoke(listMyMessages, 'GET /me/messages', { caller: { sub: inboxFans[0]!.userId, role: 'resident' } })).body.items;
    expect(fanInbox.find((m: { reference: string }) => m.reference === job.noticeId)).toMatchObject({ channel: 'inbox', status: 'delivered', template: 'notice-published' });
  });

  it('texts a weather alert at 22:00 at once to every resident, the inbox choosers too', async () => {
    const job = await general(WILLOW, 'weather-alert');
    const run = await runFanOut((await leaseDue(job.noticeId))!, { now: at22h });
    expect(run).toEqual({ sent: 10, finished: true });
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
  });
});
