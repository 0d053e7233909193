// Starts a case's review run right after the case is written. If Step Functions cannot be reached, the
// case stays marked as waiting for its run and the reconciler (functions/workflow/reconcile-workflows.ts)
// starts it; the resident's answer does not depend on it.

import { markWorkflowStarted } from '../../../shared/data/cases.ts';
import { log } from '../../../shared/log.ts';
import { workflows } from '../../../shared/ports/workflows-from-env.ts';

export async function startReview(caseId: string, round: number): Promise<void> {
  try {
    await workflows.startCaseReview(caseId, round);
    await markWorkflowStarted(caseId);
  } catch (error) {
    log.warn('review run not started; the reconciler will start it', { caseId, round, errorName: (error as Error).name });
  }
}
