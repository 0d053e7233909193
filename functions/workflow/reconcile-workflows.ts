// Scheduled job: makes sure nothing is stuck between DynamoDB and the workflows. Starts the review run of
// every case written without one (StartExecution failed after the case was stored), hands on every
// recorded decision whose resume failed, and stops the run of every withdrawn case whose stop failed. All
// three calls are idempotent, so running twice is harmless.

import { listCasesAwaitingStop, listCasesAwaitingWorkflow, markWorkflowStarted, markWorkflowStopped } from '../../shared/data/cases.ts';
import { listDecisionsAwaitingResume, getTaskToken, markDecisionResumed } from '../../shared/data/tasks.ts';
import { log } from '../../shared/log.ts';
import { workflows } from '../../shared/ports/workflows-from-env.ts';
import { TaskTokenGone } from '../../shared/ports/workflows.ts';
import { decisionOutput } from '../tasks/lib/decision-output.ts';

const BATCH = 25;

export const handler = async () => {
  let started = 0;
  let resumed = 0;
  let stopped = 0;
  for (const c of await listCasesAwaitingWorkflow(BATCH)) {
    try {
      await workflows.startCaseReview(c.id, c.round);
      await markWorkflowStarted(c.id);
      started++;
    } catch (error) {
      log.warn('reconciler could not start a review run', { caseId: c.id, errorName: (error as Error).name });
    }
  }
  for (const task of await listDecisionsAwaitingResume(BATCH)) {
    try {
      await workflows.resume((await getTaskToken(task.id))!, decisionOutput(task));
      await markDecisionResumed(task.id);
      resumed++;
    } catch (error) {
      // A gone token means the step timed out meanwhile; re-opening it hands the decision over.
      if (!(error instanceof TaskTokenGone)) log.warn('reconciler could not resume a decision', { taskId: task.id, errorName: (error as Error).name });
    }
  }
  for (const c of await listCasesAwaitingStop(BATCH)) {
    try {
      await workflows.stopCaseReview(c.id, c.round);
      await markWorkflowStopped(c.id);
      stopped++;
    } catch (error) {
      log.warn('reconciler could not stop a withdrawn case’s run', { caseId: c.id, errorName: (error as Error).name });
    }
  }
  return { started, resumed, stopped };
};
