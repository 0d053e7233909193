// Sends a notice to every resident of its community, a page of residents at a time, resumably: the page
// cursor is saved on the fan-out job after each page, and each resident's message has one record (its id
// fixed by notice and resident) that is claimed before anything is sent, so however often a page is read
// again (a resumed run, two runs racing), each resident gets the notice once. A message held for the morning
// or waiting for a retry is the queue's to finish (shared/data/messages.ts). A page with a message another run
// still holds in flight, or whose claims could not all be written, is handed back with its cursor unmoved and
// read again after a pause: by then that claim is sent, or has expired and is taken over. While one page is
// sent and recorded the next is read and claimed, so the pace is the provider's (SMS_RATE_PER_SECOND) or
// DynamoDB's, not that of round trips one after another. Used by POST /notices for the first page and by the
// scheduled job for the rest.

import {
  communityResidentsPage,
  finishFanOutJob,
  getNotice,
  leaseExpiry,
  leaseFanOutJob,
  releaseFanOutJob,
  type FanOutJob,
  type Recipient,
} from '../../../shared/data/notices.ts';
import { preferencesOf } from '../../../shared/data/messages.ts';
import { residentClass, type MessagePreferences } from '../../../shared/domain/messages.ts';
import { noticeSmsParams, noticeTemplate, type Notice } from '../../../shared/domain/notices.ts';
import { log } from '../../../shared/log.ts';
import { notifier as platformNotifier } from '../../../shared/ports/notifier-from-env.ts';
import { onceMessageId, type OnceMessage, type PlatformNotifier } from '../../../shared/ports/reliable-notifier.ts';

const PAGE_SIZE = 100;
/** A page with messages still held elsewhere, or not all claimed, is read again after this pause. */
const RETRY_AFTER_MS = 60_000;
/**
 * A resident's claim outlasts the claiming run's lease on the job by this much: a run that overran its lease
 * stops claiming, and this is the time its SMS already in flight get to finish before they count as lost.
 */
const CLAIM_GRACE_MS = 60_000;

export type FanOutOptions = {
  pageSize?: number;
  /** Pages this run may send before handing the job back (POST /notices sends one). */
  maxPages?: number;
  /** False when the invocation is about to run out of time; the job is then handed back. */
  hasTimeLeft?: () => boolean;
  notifier?: PlatformNotifier;
  /** The time the messages are sent at, for the quiet hours (a general notice at night waits for the morning). */
  now?: Date;
};

export type FanOutOutcome = { sent: number; finished: boolean };

type Page = Awaited<ReturnType<typeof communityResidentsPage>> & { preferences?: Map<string, MessagePreferences> };
type Flight = { page: Page; sending: ReturnType<PlatformNotifier['sendEach']> };

/** Runs a job this run holds (see leaseFanOutJob) until it is done, out of budget, or taken over. */
export async function runFanOut(held: FanOutJob, options: FanOutOptions = {}): Promise<FanOutOutcome> {
  const { pageSize = PAGE_SIZE, maxPages = Infinity, hasTimeLeft = () => true, notifier = platformNotifier } = options;
  const notice = await getNotice(held.noticeId);
  if (!notice) throw new Error(`Fan-out job without its notice ${held.noticeId}`);
  // An emergency goes by SMS whatever residents prefer: their preferences are not even read.
  const byPreference = residentClass(noticeTemplate(notice.kind)).kind !== null;
  const readPage = async (cursor?: Record<string, string>): Promise<Page> => {
    const page = await communityResidentsPage(notice.community, pageSize, cursor);
    return byPreference ? { ...page, preferences: await preferencesOf(page.recipients.map((r) => r.userId)) } : page;
  };
  // Claims are made under the run's lease on the job, and last a grace period beyond it.
  const launch = (page: Page, job: FanOutJob): Flight => {
    const sending = notifier.sendEach(messagesOf(notice, page, new Date(leaseExpiry(job).getTime() + CLAIM_GRACE_MS)), options.now);
    // Awaited in order below; a run that stops early must not leave a failure unhandled.
    sending.catch(() => undefined);
    return { page, sending };
  };
  const mayClaim = (job: FanOutJob) => new Date() < leaseExpiry(job);

  let job = held;
  let sent = 0;
  if (maxPages < 1 || !hasTimeLeft()) {
    await releaseFanOutJob(job, new Date(), 0);
    return { sent, finished: false };
  }
  let current = launch(await readPage(job.cursor), job);
  for (let pages = 1; ; pages++) {
    // The next page is read and claimed while this one is sent and recorded: two pages in flight.
    const nextKey = current.page.nextKey as Record<string, string> | undefined;
    let ahead: Flight | undefined;
    try {
      ahead = nextKey && pages < maxPages && hasTimeLeft() && mayClaim(job) ? launch(await readPage(nextKey), job) : undefined;
    } catch (error) {
      // The page in flight is finished before the run gives up; its job's lease runs out and a later run resumes.
      await current.sending.catch(() => undefined);
      throw error;
    }
    const done = await current.sending;
    sent += done.taken;
    if (done.unwritten || done.heldElsewhere > 0) {
      // The cursor stays before this page: a later run reads it again and sends only what is unclaimed.
      const aheadTaken = ahead ? (await ahead.sending).taken : 0;
      sent += aheadTaken;
      log.warn('notice messages not all sent by this run; the page is read again shortly', { noticeId: notice.id, heldElsewhere: done.heldElsewhere, errorName: done.unwritten?.name });
      await releaseFanOutJob(job, new Date(Date.now() + RETRY_AFTER_MS), done.taken + aheadTaken);
      return { sent, finished: false };
    }
    if (!nextKey) {
      await finishFanOutJob(job, done.taken, new Date());
      return { sent, finished: true };
    }
    const renewed = await leaseFanOutJob(job, new Date(), { cursor: nextKey, sent: done.taken });
    if (!renewed) {
      // Taken over: what this run claimed ahead it still sends, and the run that took the job finds it sent.
      if (ahead) sent += (await ahead.sending).taken;
      return { sent, finished: false };
    }
    job = renewed;
    if (!ahead) {
      await releaseFanOutJob(job, new Date(), 0);
      return { sent, finished: false };
    }
    current = ahead;
  }
}

function messagesOf(notice: Notice, page: Page, leaseUntil: Date) {
  const template = noticeTemplate(notice.kind);
  const params = noticeSmsParams(notice);
  return page.recipients.map(
    (recipient: Recipient): OnceMessage => ({
      message: { residentId: recipient.userId, to: recipient.phone, template, params, reference: notice.id },
      once: { id: onceMessageId(notice.id, recipient.userId), createdAt: notice.publishedAt, leaseUntil },
      ...(page.preferences ? { preferences: page.preferences.get(recipient.userId)! } : {}),
    }),
  );
}
