// POST /cases/{id}/rating — 好差评: the resident rates the service of one of their own decided cases, once.
// The rating, the supervisors' follow-up task a low score opens and the rating's statistics are one
// conditional transaction (shared/data/cases.ts rateCase): 409 already_rated or invalid_state otherwise.

import { rateCase } from '../../shared/data/ratings.ts';
import { type FollowUpTask } from '../../shared/domain/tasks.ts';
import { statsEventWrites } from '../../shared/data/stats.ts';
import { shanghaiDate, workingDaysAfter } from '../../shared/domain/calendar.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { FOLLOW_UP_WORKING_DAYS, followUpTaskId, needsFollowUp, ratingLabel } from '../../shared/domain/ratings.ts';
import { ratingStatsEvent } from '../../shared/domain/stats.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, created } from '../../shared/http/api-handler.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { ownCase } from './lib/own-case.ts';

export const handler = apiHandler(api.rateCase, async ({ params, body, caller }) => {
  const c = await ownCase(params.id, caller.userId);
  const now = new Date();
  const at = now.toISOString();
  const rating = { score: body.score, ...(body.comment !== undefined ? { comment: body.comment } : {}), at };
  const followUp: FollowUpTask | undefined = needsFollowUp(body.score)
    ? {
        id: followUpTaskId(c.id),
        kind: 'follow-up',
        caseId: c.id,
        centre: c.centre,
        matter: c.matter,
        category: c.category,
        role: 'supervisor',
        stepIndex: 0,
        dueDate: workingDaysAfter(shanghaiDate(now), FOLLOW_UP_WORKING_DAYS),
        openedAt: at,
      }
    : undefined;

  await rateCase(c.id, rating, followUp, statsEventWrites(ratingStatsEvent(c, body.score, at)));

  if (followUp) {
    try {
      await notifier.notifyStaff({
        centre: c.centre,
        role: 'supervisor',
        category: c.category,
        template: 'rating-follow-up',
        params: { matter: findMatter(c.matter)!.name.zh, caseId: c.id, label: ratingLabel(body.score), dueDate: dateForSms(followUp.dueDate) },
        reference: followUp.id,
      });
    } catch (error) {
      // The follow-up is in the supervisors' queue either way; the message only hurries it.
      log.error('follow-up notification failed', { taskId: followUp.id, errorName: (error as Error).name });
    }
  }
  return created({ caseId: c.id, ...rating, label: ratingLabel(body.score) });
});
