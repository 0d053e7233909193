// POST /jobs — a clerk of the employment window publishes a posting of their centre. It is open until its
// closing day (at most 90 days ahead), after which the closing job closes it. The centre's registered job
// seekers (an approved 失业登记 there) get an inbox message, each once however often this is retried (its id is
// the posting's and the resident's): the posting is written with its fan-out job, this request tells the
// first page of them, and the scheduled job (functions/messages/fan-out-messages.ts) the rest.

import { randomBytes } from 'node:crypto';
import { createPosting } from '../../shared/data/jobs.ts';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { validationFailed } from '../../shared/domain/errors.ts';
import { latestClosingDay, MAX_POSTING_DAYS, type JobPosting } from '../../shared/domain/jobs.ts';
import * as api from '../../shared/api/jobs.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { sendFirstPage } from '../messages/lib/fan-out.ts';
import { employmentWindowCentre } from './lib/employment-window.ts';

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
    await sendFirstPage(await createPosting(posting, now));
    return created(api.postingView(posting));
  });
});
