// POST /notices — staff warn a whole community: the notice and its SMS fan-out job are written together,
// then this request sends the first page of residents itself; the scheduled job
// (functions/messages/fan-out-messages.ts) sends the rest. The SMS must fit in two segments (422 otherwise),
// checked before anything is written. An Idempotency-Key keeps a double-clicked publish from texting
// the community twice.

import { randomBytes } from 'node:crypto';
import { idempotencyKeyFrom, idempotent } from '../../shared/data/idempotency.ts';
import { publishNotice } from '../../shared/data/notices.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { assertNoticeFitsSms, assertNoticeNotOver, type Notice } from '../../shared/domain/notices.ts';
import * as api from '../../shared/api/notices.ts';
import { centreOfCommunity } from '../../shared/domain/centres.ts';
import { forbidden } from '../../shared/domain/errors.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { sendFirstPage } from '../messages/lib/fan-out.ts';

export const handler = apiHandler(api.publishNotice, async ({ body, caller, headers }) => {
  const centre = homeCentre(caller);
  if (centreOfCommunity(body.community)?.code !== centre) {
    throw forbidden(`${body.community} is not a community of your centre ${centre}: its own centre's staff warn it.`);
  }
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
    return created(api.noticeView(notice, now));
  });
});
