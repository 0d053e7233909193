// POST /cases/{id}/withdraw — the resident withdraws their own case before it is decided (submitted,
// returned or in review). The withdrawal is one conditional write that also marks the case for the
// reconciler; then every step of the round leaves the queues and the review run is stopped. If the stop
// fails, the reconciler (functions/workflow/reconcile-workflows.ts) stops it later: the case is withdrawn
// either way, and the workflow's own tasks leave a withdrawn case alone. A returned case's run has
// already ended (it stops at Returned until the resident adds materials), so there is nothing to stop. The
// resident's files of a withdrawn case are deleted at once: no decision will ever need them.

import { transitionCase } from '../../shared/data/cases.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { withdrawTask } from '../../shared/data/tasks.ts';
import { taskId, WITHDRAWABLE_STATUSES } from '../../shared/domain/cases.ts';
import { conflict } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { ownCase } from './lib/own-case.ts';
import { stopReview } from './lib/stop-review.ts';
import { deleteCaseFiles } from '../uploads/lib/delete-uploads.ts';

export const handler = apiHandler(api.withdrawCase, async ({ params, caller }) => {
  const c = await ownCase(params.id, caller.userId);
  if (!WITHDRAWABLE_STATUSES.includes(c.status)) throw conflict('invalid_state', `A ${c.status} case can no longer be withdrawn.`);
  const at = new Date().toISOString();
  const runIsLive = c.status !== 'returned';
  const withdrawn = await transitionCase(c.id, {
    from: [...WITHDRAWABLE_STATUSES],
    to: 'withdrawn',
    expect: { round: c.round },
    awaitStop: runIsLive,
    history: { at, actor: caller.userId, note: '居民撤回申请' },
    set: { currentStep: null, withdrawnAt: at },
  });
  if (!withdrawn) throw conflict('invalid_state', 'The case changed meanwhile; read it again.');
  await recordCaseEvent(withdrawn);
  // Every step the round planned, whichever is open now: a step opened a moment ago is among them.
  for (const step of withdrawn.plan ?? []) await withdrawTask(taskId(c.id, c.round, step.index), at);
  if (runIsLive) await stopReview(withdrawn);
  await deleteCaseFiles(withdrawn);
  return ok(api.caseView(withdrawn));
});
