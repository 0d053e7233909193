// Local adapter of the Workflows port: hands the calls to the ASL engine that the local server (or a
// workflow test) runs in this same process and registers here.

import { caseReviewExecutionName, type DecisionOutput, type Workflows } from './workflows.ts';

export type LocalWorkflowEngine = {
  start(machine: string, executionName: string, input: unknown): Promise<void>;
  sendTaskSuccess(taskToken: string, output: DecisionOutput): Promise<void>;
  stopExecution(executionName: string): Promise<void>;
};

let engine: LocalWorkflowEngine | undefined;

export function useLocalWorkflowEngine(e: LocalWorkflowEngine | undefined): void {
  engine = e;
}

function running(): LocalWorkflowEngine {
  if (!engine) throw new Error('No local workflow engine is running in this process');
  return engine;
}

export const localWorkflows: Workflows = {
  startCaseReview: (caseId, round) => running().start('CaseApproval', caseReviewExecutionName(caseId, round), { caseId, round }),
  resume: (taskToken, output) => running().sendTaskSuccess(taskToken, output),
  stopCaseReview: (caseId, round) =>
    running()
      .stopExecution(caseReviewExecutionName(caseId, round))
      .catch((error: Error) => {
        // As in the AWS adapter: a run that was never started has nothing to stop.
        if (error.name !== 'ExecutionDoesNotExist') throw error;
      }),
};
