// Workflow task EscalateApprovalStep (after a waiting step timed out): if the step's due date has passed,
// the task is marked overdue and the supervisors of its category are told; then the step waits again
// (a day at a time once overdue, so supervisors are reminded daily until someone decides).

import { getCase } from '../../shared/data/cases.ts';
import { markTaskOverdue } from '../../shared/data/tasks.ts';
import { ROLE_NAMES, stepWait } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { log } from '../../shared/log.ts';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { openStep, type Next, type StepPayload, type WorkflowEvent } from './lib/steps.ts';

export const handler = async ({ caseId, step }: WorkflowEvent & { step: StepPayload }): Promise<Next> => {
  if (step.reachesDue) await escalate(caseId, step);
  return openStep({ ...step, ...stepWait(step.dueDate, new Date()) });
};

async function escalate(caseId: string, step: StepPayload): Promise<void> {
  const c = await getCase(caseId);
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  await markTaskOverdue(step.taskId);
  // A case withdrawn meanwhile has nobody to chase: its run is being stopped.
  if (c.status !== 'in_review') return;
  try {
    await notifier.notifyStaff({
      centre: c.centre,
      role: 'supervisor',
      category: c.category,
      template: 'task-escalated',
      params: { matter: findMatter(c.matter)!.name.zh, caseId, role: ROLE_NAMES[step.role], dueDate: dateForSms(step.dueDate) },
      reference: step.taskId,
    });
  } catch (error) {
    log.error('escalation notification failed', { taskId: step.taskId, errorName: (error as Error).name });
  }
}
