// POST /notices — staff warn a whole community: the notice and its SMS fan-out job are written together,
// then this request sends the first page of residents itself; the scheduled job
// (functions/notices/fan-out-notices.ts) sends the rest. The SMS must fit in two segments (422 otherwise),
// checked before anything is written. An Idempotency-Key keeps a double-clicked publish from texting
// the community twice.

import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { leaseFanOutJob, publishNotice, type FanOutJob } from '../../shared/data/notices.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { assertNoticeFitsSms, assertNoticeNotOver, NOTICE_KINDS, type Notice } from '../../shared/domain/notices.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { communitySchema, text } from '../../shared/http/schemas.ts';
import { log } from '../../shared/log.ts';
import { runFanOut } from './fan-out.ts';
import { noticeView } from './notice-view.ts';

/** Any ISO 8601 timestamp with a zone, kept as UTC so notices sort and compare as text. */
const timestamp = z.pipe(
  z.iso.datetime({ offset: true, error: 'an ISO 8601 timestamp with a time zone, e.g. 2026-12-01T01:30:00.000Z' }),
  z.transform((value) => new Date(value).toISOString()),
);

const body = z
  .strictObject({
    community: communitySchema,
    kind: z.enum(NOTICE_KINDS),
    title: text(40),
    body: text(500),
    startsAt: timestamp,
    endsAt: z.optional(timestamp),
  })
  .check(z.refine((n) => n.endsAt === undefined || n.endsAt > n.startsAt, { path: ['endsAt'], message: 'must be after startsAt' }));

export const handler = apiHandler({ route: 'POST /notices', body }, async ({ body, caller, headers }) => {
  assertNoticeFitsSms(body);
  assertNoticeNotOver(body, new Date());
  const key = idempotencyKeyFrom(headers, false);
  return idempotent({ scope: 'publish-notice', userId: caller.userId, key, fingerprint: body }, async () => {
    const now = new Date();
    const notice: Notice = {
      id: `N${shanghaiDate(now).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`,
      ...body,
      publishedAt: now.toISOString(),
      publishedBy: caller.userId,
    };
    const job = await publishNotice(notice, now);
    await sendFirstPage(job);
    return created(noticeView(notice));
  });
});

/** The notice is published whatever happens here: the scheduled job picks up what this did not send. */
async function sendFirstPage(job: FanOutJob): Promise<void> {
  try {
    const held = await leaseFanOutJob(job, new Date());
    if (held) await runFanOut(held, { maxPages: 1 });
  } catch (error) {
    log.warn('first page of a notice not sent; the fan-out job will send it', { noticeId: job.noticeId, errorName: (error as Error).name });
  }
}
