// Tells everyone a fan-out job is for (shared/data/fan-outs.ts), a page of recipients at a time, resumably: a
// notice goes to every resident of its community, a job posting to its centre's registered job seekers. The
// page cursor is saved on the job after each page, and each resident's message has one record (its id fixed
// by subject and resident) that is claimed before anything is sent, so however often a page is read again (a
// resumed run, two runs racing), each resident is told once. A message held for the morning or waiting for a
// retry is the queue's to finish (shared/data/messages.ts). A page with a message another run still holds in
// flight, or whose claims could not all be written, is handed back with its cursor unmoved and read again
// after a pause: by then that claim is sent, or has expired and is taken over. While one page is sent and
// recorded the next is read and claimed, so the pace is the provider's (SMS_RATE_PER_SECOND) or DynamoDB's,
// not that of round trips one after another. Used by POST /notices and POST /jobs for the first page and by
// the scheduled job (functions/messages/fan-out-messages.ts) for the rest.

import { finishFanOutJob, leaseExpiry, leaseFanOutJob, releaseFanOutJob, subjectOf, type FanOutJob } from '../../../shared/data/fan-outs.ts';
import { getPosting, jobSeekersPage } from '../../../shared/data/jobs.ts';
import { preferencesOf } from '../../../shared/data/messages.ts';
import { communityResidentsPage, getNotice } from '../../../shared/data/notices.ts';
import { jobPostedParams } from '../../../shared/domain/jobs.ts';
import { residentClass } from '../../../shared/domain/messages.ts';
import { noticeSmsParams, noticeTemplate } from '../../../shared/domain/notices.ts';
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
  /** Pages this run may send before handing the job back (POST /notices and POST /jobs send one). */
  maxPages?: number;
  /** False when the invocation is about to run out of time; the job is then handed back. */
  hasTimeLeft?: () => boolean;
  notifier?: PlatformNotifier;
  /** The time the messages are sent at, for the quiet hours (a general notice at night waits for the morning). */
  now?: Date;
};

export type FanOutOutcome = { sent: number; finished: boolean };

/** One page of recipients: the messages to claim and send (under a lease lasting until `claimUntil`), and the cursor after it. */
type Page = { messages: (claimUntil: Date) => OnceMessage[]; nextKey?: Record<string, string> };
/** Who a job tells, page by page. */
type Audience = (pageSize: number, cursor?: Record<string, string>) => Promise<Page>;
type Flight = { page: Page; sending: ReturnType<PlatformNotifier['sendEach']> };

/** A notice's audience: its community's residents, by SMS, or by the channel each chose for general notices. */
async function noticeAudience(noticeId: string): Promise<Audience> {
  const notice = await getNotice(noticeId);
  if (!notice) throw new Error(`Fan-out job without its notice ${noticeId}`);
  const template = noticeTemplate(notice.kind);
  const params = noticeSmsParams(notice);
  // An emergency goes by SMS whatever residents prefer: their preferences are not even read.
  const byPreference = residentClass(template).kind !== null;
  return async (pageSize, cursor) => {
    const { recipients, nextKey } = await communityResidentsPage(notice.community, pageSize, cursor);
    const preferences = byPreference ? await preferencesOf(recipients.map((r) => r.userId)) : undefined;
    return {
      nextKey,
      messages: (claimUntil) =>
        recipients.map((recipient) => ({
          message: { residentId: recipient.userId, to: recipient.phone, template, params, reference: notice.id },
          once: { id: onceMessageId(notice.id, recipient.userId), createdAt: notice.publishedAt, leaseUntil: claimUntil },
          ...(preferences ? { preferences: preferences.get(recipient.userId)! } : {}),
        })),
    };
  };
}

/** A posting's audience: its centre's registered job seekers, in the inbox (`job-posted` never goes by SMS, so no phone is read). */
async function jobSeekersAudience(postingId: string): Promise<Audience> {
  const posting = await getPosting(postingId);
  if (!posting) throw new Error(`Fan-out job without its posting ${postingId}`);
  const params = jobPostedParams(posting);
  return async (pageSize, cursor) => {
    const { residentIds, nextKey } = await jobSeekersPage(posting.centre, pageSize, cursor);
    return {
      nextKey,
      messages: (claimUntil) =>
        residentIds.map((residentId) => ({
          message: { residentId, to: '', template: 'job-posted', params, reference: posting.id },
          once: { id: onceMessageId(posting.id, residentId), createdAt: posting.publishedAt, leaseUntil: claimUntil },
        })),
    };
  };
}

const audienceOf = (job: FanOutJob) => ('noticeId' in job ? noticeAudience(job.noticeId) : jobSeekersAudience(job.postingId));

/** Runs a job this run holds (see leaseFanOutJob) until it is done, out of budget, or taken over. */
export async function runFanOut(held: FanOutJob, options: FanOutOptions = {}): Promise<FanOutOutcome> {
  const { pageSize = PAGE_SIZE, maxPages = Infinity, hasTimeLeft = () => true, notifier = platformNotifier } = options;
  const readPage = await audienceOf(held);
  // Claims are made under the run's lease on the job, and last a grace period beyond it.
  const launch = (page: Page, job: FanOutJob): Flight => {
    const sending = notifier.sendEach(page.messages(new Date(leaseExpiry(job).getTime() + CLAIM_GRACE_MS)), options.now);
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
  let current = launch(await readPage(pageSize, job.cursor), job);
  for (let pages = 1; ; pages++) {
    // The next page is read and claimed while this one is sent and recorded: two pages in flight.
    const nextKey = current.page.nextKey;
    let ahead: Flight | undefined;
    try {
      ahead = nextKey && pages < maxPages && hasTimeLeft() && mayClaim(job) ? launch(await readPage(pageSize, nextKey), job) : undefined;
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
      log.warn('fan-out messages not all sent by this run; the page is read again shortly', { ...subjectOf(job), heldElsewhere: done.heldElsewhere, errorName: done.unwritten?.name });
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

/** The first page, sent by the publishing request; whatever happens here, the scheduled job picks up what this did not send. */
export async function sendFirstPage(job: FanOutJob): Promise<void> {
  try {
    const held = await leaseFanOutJob(job, new Date());
    if (held) await runFanOut(held, { maxPages: 1 });
  } catch (error) {
    log.warn('first page of a fan-out not sent; the scheduled job will send it', { ...subjectOf(job), errorName: (error as Error).name });
  }
}
