// The decision on a follow-up task (a supervisor's 差评回访 of a low rating, shared/domain/ratings.ts): it
// is closed with `approve` and a comment saying what was done, and recorded once; there is no workflow
// waiting for it, so nothing is resumed.

import { closeFollowUpTask } from '../../../shared/data/tasks.ts';
import { type Task } from '../../../shared/domain/tasks.ts';
import { validationFailed } from '../../../shared/domain/errors.ts';
import { followUpDecisionErrors } from '../../../shared/domain/ratings.ts';

export async function closeFollowUp(task: Task, body: { decision: string; comment?: string }, supervisorId: string): Promise<Task> {
  const errors = followUpDecisionErrors(body.decision, body.comment);
  if (errors.length > 0) throw validationFailed(errors, 'A follow-up is closed with decision approve and a comment.');
  return closeFollowUpTask(task.id, { comment: body.comment!, decidedBy: supervisorId, decidedAt: new Date().toISOString() });
}
