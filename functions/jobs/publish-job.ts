// POST /jobs — a clerk of the employment window publishes a posting of their centre. It is open until its
// closing day (at most 90 days ahead), after which the closing job closes it. The centre's registered job
// seekers (an approved 失业登记 there) get an inbox message — one bounded page of them, each message sent once
// however often this is retried (its id is the posting's and the resident's).

import { randomBytes } from 'node:crypto';
import { createPosting, jobSeekersOf } from '../../shared/data/jobs.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { validationFailed } from '../../shared/domain/errors.ts';
import { latestClosingDay, MAX_POSTING_DAYS, type JobPosting } from '../../shared/domain/jobs.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { onceMessageId } from '../../shared/ports/reliable-notifier.ts';
import { employmentWindowCentre } from './lib/employment-window.ts';

/** Job seekers told of one posting: the inbox message is news, not a duty, and the list is public anyway. */
export const JOB_SEEKERS_TOLD = 200;
const LEASE_MS = 60_000;

async function tellJobSeekers(posting: JobPosting, now: Date): Promise<void> {
  try {
    const residents = await jobSeekersOf(posting.centre, JOB_SEEKERS_TOLD);
    const params = { centre: findCentre(posting.centre)!.name.zh, employer: posting.employer, title: posting.title, closesOn: dateForSms(posting.closesOn) };
    const once = { createdAt: now.toISOString(), leaseUntil: new Date(now.getTime() + LEASE_MS) };
    await notifier.sendEach(
      residents.map((residentId) => ({
        // The inbox needs no phone number: `job-posted` never goes by SMS.
        message: { residentId, to: '', template: 'job-posted', params, reference: posting.id },
        once: { id: onceMessageId(posting.id, residentId), ...once },
      })),
      now,
    );
  } catch (error) {
    log.error('job seekers not told of a posting', { postingId: posting.id, errorName: (error as Error).name });
  }
}

export const handler = apiHandler(api.publishJob, async ({ body, caller, headers }) => {
  const centre = employmentWindowCentre(caller);
  const now = new Date();
  const today = shanghaiDate(now);
  if (body.closesOn < today || body.closesOn > latestClosingDay(today)) {
    throw validationFailed([{ path: 'closesOn', message: `from today (${today}) to at most ${MAX_POSTING_DAYS} days ahead` }]);
  }
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'publish-job', userId: caller.userId, key, fingerprint: body }, async () => {
    const posting: JobPosting = {
      id: `J${today.replaceAll('-', '')}-${randomBytes(4).toString('hex')}`,
      centre,
      ...body,
      status: 'open',
      publishedAt: now.toISOString(),
      publishedBy: caller.userId,
    };
    await createPosting(posting);
    await tellJobSeekers(posting, now);
    return created(api.postingView(posting));
  });
});
