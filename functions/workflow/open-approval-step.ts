// Workflow task WaitForApproval (invoked with a task token): records the pending approval step with its
// token, kept server-side only, and tells the step's staff. A step re-opened after a timeout gets the new
// token; if its decision arrived while the old token had expired, the decision is handed over right now.
// A case withdrawn while its step opened takes the step out of the queue again (the withdrawal stops the run).

import { setCurrentStep } from '../../shared/data/cases.ts';
import { markDecisionResumed, openTask, withdrawTask } from '../../shared/data/tasks.ts';
import { getCase } from '../../shared/data/cases.ts';
import { ROLE_NAMES } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { workflows } from '../../shared/ports/workflows-from-env.ts';
import { decisionOutput } from '../tasks/lib/decision-output.ts';
import type { StepPayload, WorkflowEvent } from './lib/steps.ts';

export const handler = async ({ caseId, step, taskToken }: WorkflowEvent & { step: StepPayload; taskToken: string }) => {
  const c = await getCase(caseId);
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  const matter = findMatter(c.matter)!;
  const now = new Date().toISOString();
  const task = await openTask(
    { id: step.taskId, caseId, centre: c.centre, matter: c.matter, category: c.category, role: step.role, stepIndex: step.index, dueDate: step.dueDate },
    taskToken,
    now,
  );
  if (!(await setCurrentStep(caseId, { index: step.index, role: step.role, dueDate: step.dueDate, taskId: step.taskId }))) {
    await withdrawTask(task.id, now);
    return {};
  }

  if (task.status === 'decided') {
    await workflows.resume(taskToken, decisionOutput(task));
    await markDecisionResumed(task.id);
    return {};
  }
  if (task.openedAt === now) {
    try {
      await notifier.notifyStaff({
        centre: c.centre,
        role: step.role,
        category: c.category,
        template: 'task-opened',
        params: { matter: matter.name.zh, caseId, role: ROLE_NAMES[step.role], dueDate: dateForSms(step.dueDate) },
        reference: task.id,
      });
    } catch (error) {
      log.error('staff notification failed', { taskId: task.id, errorName: (error as Error).name });
    }
  }
  return {};
};
