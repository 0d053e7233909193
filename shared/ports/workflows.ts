// The Workflows port: starting a case's review run, handing a staff decision to the waiting step, and
// stopping a run when the resident withdraws the case.
// Adapters: sfn-workflows.ts (AWS Step Functions) and local-workflows.ts (the ASL engine of `npm start`).

export type DecisionOutput = {
  taskId: string;
  decision: 'approve' | 'reject' | 'return';
  comment: string | null;
  missingMaterials: string[];
  decidedBy: string;
  /** How the case history signs the decision for the resident (shared/domain/cases.ts staffActorName). */
  decidedByName?: string;
};

/** The task token is no longer valid (timed out, already used): the step has moved on without this call. */
export class TaskTokenGone extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'TaskTokenGone';
  }
}

export interface Workflows {
  /** Starts review round `round` of a case. Idempotent: the run is named after case and round. */
  startCaseReview(caseId: string, round: number): Promise<void>;
  /** SendTaskSuccess; throws TaskTokenGone for a late or used token. */
  resume(taskToken: string, output: DecisionOutput): Promise<void>;
  /**
   * Stops review round `round` of a case (StopExecution): the resident withdrew it. A run that never started
   * or has already finished is left as it is, so a repeated stop is harmless.
   */
  stopCaseReview(caseId: string, round: number): Promise<void>;
}

export const caseReviewExecutionName = (caseId: string, round: number) => `${caseId}-${round}`;
