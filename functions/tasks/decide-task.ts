// POST /tasks/{id}/decision — a caseworker (their categories only) or a supervisor (supervisor steps only)
// decides a pending step, never of a case they submitted themselves, and at most one step of any case (403
// separation_of_duties: the earlier steps of the case are read by their ids in one BatchGet). The decision is written once, conditionally, BEFORE the workflow is resumed: a
// second or concurrent decision is 409 already_decided. If resuming fails, the decision stays marked for
// the reconciler, and a step re-opened after a timeout picks it up itself; it is never lost. A follow-up
// of a low rating has no workflow: it is closed instead (close-follow-up.ts).

import { getCase } from '../../shared/data/cases.ts';
import { decideTask, getTask, getTasks, getTaskToken, markDecisionResumed } from '../../shared/data/tasks.ts';
import { recordStaffDecision } from '../../shared/data/stats.ts';
import { staffActorName } from '../../shared/domain/cases.ts';
import { findCategory, findMatter } from '../../shared/domain/catalog.ts';
import { conflict, forbidden, notFound, validationFailed } from '../../shared/domain/errors.ts';
import { homeCentre, type Caller } from '../../shared/http/auth.ts';
import * as api from '../../shared/api/tasks.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { log } from '../../shared/log.ts';
import { otherStepTaskIds, separationOfDutiesConflict, type Task } from '../../shared/domain/tasks.ts';
import { workflows } from '../../shared/ports/workflows-from-env.ts';
import { closeFollowUp } from './lib/close-follow-up.ts';
import { decisionOutput } from './lib/decision-output.ts';

function mayDecide(caller: Caller, task: Task): boolean {
  if (task.role === 'supervisor') return caller.roles.includes('supervisor');
  return caller.roles.includes('staff') && caller.categories.includes(task.category);
}

export const handler = apiHandler(api.decideTask, async ({ params, body, caller }) => {
  const centre = homeCentre(caller);
  const task = await getTask(params.id);
  // Another centre's task is not found: its staff, not this one's, see it.
  if (!task || task.centre !== centre) throw notFound(`No task ${params.id}.`);
  if (!mayDecide(caller, task)) throw forbidden(`This ${task.role} step of ${task.category} is not yours to decide.`);
  if (task.status === 'withdrawn') throw conflict('invalid_state', 'The resident withdrew this case; the step is closed.');
  const c = await getCase(task.caseId);
  const matter = findMatter(task.matter)!;
  const otherSteps = c && task.kind !== 'follow-up' ? await getTasks(otherStepTaskIds(c.id, c.round, matter.approvalChain.length, task.stepIndex)) : [];
  const refusal = c ? separationOfDutiesConflict(c.residentId, caller.userId, task, otherSteps) : undefined;
  if (refusal) throw forbidden(refusal, 'separation_of_duties');
  if (task.kind === 'follow-up') return ok(api.taskView(await closeFollowUp(task, body, caller.userId), c, new Date()));
  const unknown = (body.missingMaterials ?? []).flatMap((code, i) =>
    matter.materials.some((m) => m.code === code) ? [] : [{ path: `missingMaterials.${i}`, message: `not a material of ${matter.code}` }],
  );
  if (unknown.length > 0) throw validationFailed(unknown);

  const decided = await decideTask(task.id, {
    decision: body.decision,
    comment: body.comment,
    missingMaterials: body.decision === 'return' ? body.missingMaterials ?? [] : undefined,
    decidedBy: caller.userId,
    decidedByName: staffActorName(task.role, findCategory(task.category)!, caller.name),
    decidedAt: new Date().toISOString(),
  });
  await recordStaffDecision(decided);
  try {
    const token = await getTaskToken(task.id);
    await workflows.resume(token!, decisionOutput(decided));
    await markDecisionResumed(task.id);
  } catch (error) {
    log.warn('decision recorded, workflow not yet resumed; the reconciler retries', { taskId: task.id, errorName: (error as Error).name });
  }
  return ok(api.taskView(decided, await getCase(task.caseId), new Date()));
});
