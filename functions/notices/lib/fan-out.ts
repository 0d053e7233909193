// Sends a notice to every resident of its community, a page of residents at a time, resumably: the page
// cursor is saved on the fan-out job after each page, and every SMS is preceded by its delivery claim, so
// however often a page is read again (a resumed run, two runs racing), each resident is sent it once.
// A page with a failed SMS is handed back with its cursor unmoved and read again after a pause.
// Used by POST /notices for the first page and by the scheduled job for the rest.

import {
  claimDelivery,
  communityResidentsPage,
  finishFanOutJob,
  getNotice,
  leaseExpiry,
  leaseFanOutJob,
  markDelivered,
  releaseDelivery,
  releaseFanOutJob,
  type FanOutJob,
  type Recipient,
} from '../../../shared/data/notices.ts';
import { noticeSmsParams, type Notice } from '../../../shared/domain/notices.ts';
import { log } from '../../../shared/log.ts';
import { notifier as platformNotifier } from '../../../shared/ports/notifier-from-env.ts';
import type { Notifier } from '../../../shared/ports/notifier.ts';

const PAGE_SIZE = 100;
/** SMS handed over at once: enough to keep a Lambda busy, few enough not to hit the SMS rate limit in a burst. */
const CONCURRENT_SENDS = 20;
/** A page with an SMS that could not be handed over is read again after this pause. */
const RETRY_AFTER_MS = 60_000;
/**
 * A delivery claim outlasts the claiming run's lease on the job by this much: a run that overran its lease
 * stops claiming, and this is the time its SMS already in flight get to finish before they count as lost.
 */
const CLAIM_GRACE_MS = 60_000;

export type FanOutOptions = {
  pageSize?: number;
  /** Pages this run may send before handing the job back (POST /notices sends one). */
  maxPages?: number;
  /** False when the invocation is about to run out of time; the job is then handed back. */
  hasTimeLeft?: () => boolean;
  notifier?: Notifier;
};

export type FanOutOutcome = { sent: number; finished: boolean };

/** Runs a job this run holds (see leaseFanOutJob) until it is done, out of budget, or taken over. */
export async function runFanOut(held: FanOutJob, options: FanOutOptions = {}): Promise<FanOutOutcome> {
  const { pageSize = PAGE_SIZE, maxPages = Infinity, hasTimeLeft = () => true, notifier = platformNotifier } = options;
  const notice = await getNotice(held.noticeId);
  if (!notice) throw new Error(`Fan-out job without its notice ${held.noticeId}`);
  let job = held;
  let sent = 0;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages || !hasTimeLeft()) {
      await releaseFanOutJob(job, new Date(), 0);
      return { sent, finished: false };
    }
    const page = await communityResidentsPage(job.community, pageSize, job.cursor);
    const { sent: sentOnPage, failed } = await deliverPage(notice, page.recipients, job, notifier);
    sent += sentOnPage;
    if (failed.length > 0) {
      // The cursor stays before this page: the next run reads it again and sends only what is unclaimed.
      log.warn('notice SMS not handed over; the page is sent again shortly', { noticeId: notice.id, failed: failed.length, errorName: failed[0] });
      await releaseFanOutJob(job, new Date(Date.now() + RETRY_AFTER_MS), sentOnPage);
      return { sent, finished: false };
    }
    if (!page.nextKey) {
      await finishFanOutJob(job, sentOnPage, new Date());
      return { sent, finished: true };
    }
    const renewed = await leaseFanOutJob(job, new Date(), { cursor: page.nextKey, sent: sentOnPage });
    if (!renewed) return { sent, finished: false };
    job = renewed;
  }
}

/** Sends the page; an SMS that could not be handed over (or claimed) is reported by its error's name. */
async function deliverPage(notice: Notice, recipients: Recipient[], job: FanOutJob, notifier: Notifier): Promise<{ sent: number; failed: string[] }> {
  let sent = 0;
  const failed: string[] = [];
  for (let i = 0; i < recipients.length; i += CONCURRENT_SENDS) {
    const outcomes = await Promise.allSettled(recipients.slice(i, i + CONCURRENT_SENDS).map((r) => deliverOnce(notice, r, job, notifier)));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') failed.push((outcome.reason as Error).name);
      else if (outcome.value) sent++;
    }
  }
  return { sent, failed };
}

async function deliverOnce(notice: Notice, recipient: Recipient, job: FanOutJob, notifier: Notifier): Promise<boolean> {
  const now = new Date();
  const lease = leaseExpiry(job);
  // Past its lease another run may hold the job: this one claims nothing more.
  if (now >= lease) throw Object.assign(new Error('the fan-out lease ran out'), { name: 'LeaseExpired' });
  const claim = await claimDelivery(notice.id, recipient.userId, new Date(lease.getTime() + CLAIM_GRACE_MS), now);
  if (claim === 'sent') return false;
  // Another run is sending it right now, or died doing so: read the page again once its claim has expired.
  if (claim === 'held') throw Object.assign(new Error('another run holds this delivery'), { name: 'DeliveryHeld' });
  try {
    await notifier.send({ channel: 'sms', to: recipient.phone, template: 'notice-published', params: noticeSmsParams(notice), reference: notice.id });
  } catch (error) {
    await releaseDelivery(notice.id, recipient.userId);
    throw error;
  }
  await markDelivered(notice.id, recipient.userId, new Date());
  return true;
}
