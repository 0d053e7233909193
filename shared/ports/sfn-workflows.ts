// AWS adapter of the Workflows port. StartExecution is named after case and round, so a retried start
// finds the run already there instead of starting a second one, and StopExecution can address that run by
// the same name without storing its ARN.

import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { caseReviewExecutionName, TaskTokenGone, type Workflows } from './workflows.ts';

/**
 * `caseApprovalArn` is read on first start, not at cold start: the workflow's own task functions resume it
 * but never start it, and giving them its ARN would make a circular dependency in CloudFormation.
 */
export function sfnWorkflows(sfn: SFNClient, caseApprovalArn: () => string): Workflows {
  return {
    async startCaseReview(caseId, round) {
      try {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: caseApprovalArn(),
            name: caseReviewExecutionName(caseId, round),
            input: JSON.stringify({ caseId, round }),
          }),
        );
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    async stopCaseReview(caseId, round) {
      try {
        await sfn.send(
          new StopExecutionCommand({
            executionArn: executionArn(caseApprovalArn(), caseReviewExecutionName(caseId, round)),
            error: 'CaseWithdrawn',
            cause: 'The resident withdrew the case.',
          }),
        );
      } catch (error) {
        // A withdrawn case whose run was never started: there is nothing to stop.
        if (!(error instanceof ExecutionDoesNotExist)) throw error;
      }
    },
    async resume(taskToken, output) {
      try {
        await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      } catch (error) {
        if (error instanceof TaskTimedOut || error instanceof InvalidToken) throw new TaskTokenGone(error.name);
        throw error;
      }
    },
  };
}

/** arn:…:stateMachine:<machine> → arn:…:execution:<machine>:<name>, the ARN Step Functions gives a named run. */
export const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
