// Stops a withdrawn case's review run. If Step Functions cannot be reached, the case stays marked as
// waiting for the stop and the reconciler (functions/workflow/reconcile-workflows.ts) stops it; the
// resident's answer does not depend on it.

import { markWorkflowStopped } from '../../../shared/data/cases.ts';
import type { Case } from '../../../shared/domain/cases.ts';
import { log } from '../../../shared/log.ts';
import { workflows } from '../../../shared/ports/workflows-from-env.ts';

export async function stopReview(c: Pick<Case, 'id' | 'round'>): Promise<void> {
  try {
    await workflows.stopCaseReview(c.id, c.round);
    await markWorkflowStopped(c.id);
  } catch (error) {
    log.warn('review run not stopped; the reconciler will stop it', { caseId: c.id, round: c.round, errorName: (error as Error).name });
  }
}
