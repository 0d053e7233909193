// The notice SMS fan-out: every resident of the community once, nobody outside it, however the job is
// repeated, raced, resumed page by page, or interrupted by failed sends and dead runs.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as fanOutNotices } from '../../functions/notices/fan-out-notices.ts';
import { runFanOut, type FanOutOutcome } from '../../functions/notices/lib/fan-out.ts';
import { handler as publishNoticeHandler } from '../../functions/notices/publish-notice.ts';
import { readOutbox } from '../../infra/local/outbox.ts';
import { claimDelivery, getFanOutJob, leaseExpiry, leaseFanOutJob, listDueFanOutJobs, publishNotice, type FanOutJob } from '../../shared/data/notices.ts';
import { saveResident } from '../../shared/data/id-numbers.ts';
import { checkCharacter } from '../../shared/domain/id-number.ts';
import type { Notice } from '../../shared/domain/notices.ts';
import type { DirectMessage, Notifier } from '../../shared/ports/notifier.ts';
import { outboxNotifier } from '../../shared/ports/outbox-notifier.ts';
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
async function unsentNotice(community: string): Promise<FanOutJob> {
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
  const due = (await listDueFanOutJobs(new Date(), 100)).find((j) => j.noticeId === noticeId);
  return due && leaseFanOutJob(due, new Date());
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

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
    expect(await getFanOutJob(res.body.id)).toMatchObject({ status: 'done', sent: 20 });
    expect((await listDueFanOutJobs(minutesFromNow(60), 100)).map((j) => j.noticeId)).not.toContain(res.body.id);
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
    expect(await getFanOutJob(job.noticeId)).toMatchObject({ status: 'done', sent: 20 });
  });

  it('sends each resident once when a run overruns its lease and another takes the job over mid-page', async () => {
    const job = await unsentNotice(MAPLE);
    const outbox = outboxNotifier(process.env.OUTBOX_FILE!);
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

    const overrun = await runFanOut((await leaseDue(job.noticeId))!, { pageSize: 5, notifier: stalling });
    const tookOver = await takeover!;
    vi.setSystemTime(minutesFromNow(5));
    const later = await fanOutNotices();

    expect(overrun.finished).toBe(false);
    expect(tookOver.finished).toBe(false);
    expect(later.finished).toBe(1);
    expect(overrun.sent + tookOver.sent + later.sent).toBe(20);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(MAPLE));
  });

  it('gives back the claims of SMS that could not be handed over and sends them when the page is read again', async () => {
    const job = await unsentNotice(WILLOW);
    const refused = new Set(phonesIn(WILLOW).slice(0, 3));
    const outbox = outboxNotifier(process.env.OUTBOX_FILE!);
    const smsGatewayDown: Notifier = {
      send: async (m: DirectMessage) => (refused.has(m.to) ? Promise.reject(Object.assign(new Error('gateway down'), { name: 'ServiceUnavailable' })) : outbox.send(m)),
      notifyStaff: outbox.notifyStaff,
    };

    const first = await runFanOut((await leaseDue(job.noticeId))!, { notifier: smsGatewayDown });
    const tooSoon = await leaseDue(job.noticeId);
    vi.useFakeTimers({ toFake: ['Date'], now: minutesFromNow(2) });
    const retried = await fanOutNotices();

    expect(first).toEqual({ sent: 7, finished: false });
    expect(tooSoon).toBeUndefined();
    expect(retried.sent).toBe(3);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
    expect(await getFanOutJob(job.noticeId)).toMatchObject({ status: 'done', sent: 10 });
  });

  it('sends the SMS of a run that died after claiming it, once its lease on the job has run out', async () => {
    const job = await unsentNotice(WILLOW);
    const dead = (await leaseDue(job.noticeId))!;
    const [claimedThenDied] = RESIDENTS.filter((r) => r.community === WILLOW);
    await claimDelivery(job.noticeId, claimedThenDied!.userId, new Date(leaseExpiry(dead).getTime() + 60_000), new Date());

    const whileHeld = await fanOutNotices();
    vi.useFakeTimers({ toFake: ['Date'], now: minutesFromNow(3) });
    const afterLease = await fanOutNotices();

    expect(recipientsOf(job.noticeId).filter((to) => to === claimedThenDied!.phone)).toHaveLength(1);
    expect(whileHeld.sent).toBe(0);
    expect(afterLease.sent).toBe(10);
    expect(recipientsOf(job.noticeId)).toEqual(phonesIn(WILLOW));
  });
});
