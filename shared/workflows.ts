// The state machines and the wiring of their Lambda tasks: the single source of truth that the CDK
// workflow stack (definitionSubstitutions → function ARNs) and the local ASL engine (state → entry file)
// both read. An ASL Task names its function as "${<Substitution>}" in Parameters.FunctionName.

export type StateMachineDefinition = {
  /** Logical name, also the construct id in CDK. */
  name: string;
  /** ASL file, relative to the repository root. */
  file: string;
  /** definitionSubstitutions key → Lambda entry file that implements it. */
  tasks: Record<string, string>;
};

export const STATE_MACHINES = [
  {
    name: 'CaseApproval',
    file: 'statemachines/case-approval.asl.json',
    tasks: {
      AutoReviewFunctionArn: 'functions/workflow/auto-review.ts',
      OpenApprovalStepFunctionArn: 'functions/workflow/open-approval-step.ts',
      EscalateApprovalStepFunctionArn: 'functions/workflow/escalate-approval-step.ts',
      ApplyDecisionFunctionArn: 'functions/workflow/apply-decision.ts',
      FinalizeCaseFunctionArn: 'functions/workflow/finalize-case.ts',
      MarkCaseFailedFunctionArn: 'functions/workflow/mark-case-failed.ts',
    },
  },
] as const satisfies readonly StateMachineDefinition[];
