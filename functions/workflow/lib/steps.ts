// What the workflow Lambdas hand back to the state machine, in the one shape its Choice states read:
// { action, step, outcome } (every key present, null when it does not apply, because a JSONPath to a
// missing key fails the state).

import { stepWait, taskId, type PlannedStep } from '../../../shared/domain/cases.ts';
import type { Case } from '../../../shared/domain/cases.ts';

export type StepPayload = PlannedStep & { taskId: string; timeoutSeconds: number; reachesDue: boolean };
export type Next = { action: 'open-step' | 'returned' | 'finalize' | 'done'; step: StepPayload | null; outcome: 'approved' | 'rejected' | null };

export const stepPayload = (c: Pick<Case, 'id' | 'round'>, planned: PlannedStep, now: Date): StepPayload => ({
  ...planned,
  taskId: taskId(c.id, c.round, planned.index),
  ...stepWait(planned.dueDate, now),
});

export const openStep = (step: StepPayload): Next => ({ action: 'open-step', step, outcome: null });
export const RETURNED: Next = { action: 'returned', step: null, outcome: null };
export const DONE: Next = { action: 'done', step: null, outcome: null };

/** Where a re-run of a task (a retry after a partial failure) should continue, read from the case itself. */
export function nextFromCase(c: Case, now: Date): Next {
  if (c.status === 'returned') return RETURNED;
  if (c.status === 'in_review' && c.plan) {
    const index = c.currentStep?.index ?? 0;
    return openStep(stepPayload(c, c.plan[index]!, now));
  }
  return DONE;
}

export type WorkflowEvent = { caseId: string; round: number };
