// What each Lambda entry file may touch in AWS: the one map from which the function construct derives
// both its environment and its IAM grants, so a function gets exactly the configuration and rights its
// code uses and nothing more. Every entry of the route table, the workflow tasks and the scheduled jobs
// must be here (test/infra/function-needs.test.ts checks it, and checks each row against the DynamoDB,
// SNS and Step Functions calls left in the entry's bundle).

import type { STATE_MACHINES } from '../shared/workflows.ts';

export type StateMachineName = (typeof STATE_MACHINES)[number]['name'];

/** What a function may do with the residents' files bucket, each right one FileStore operation module. */
export const FILE_RIGHTS = ['put', 'get', 'keep', 'delete'] as const;
export type FileRight = (typeof FILE_RIGHTS)[number];

export type FunctionNeeds = {
  /** `read`: GetItem, BatchGetItem, Query, ConditionCheckItem. `readWrite` adds PutItem, UpdateItem,
   *  DeleteItem, BatchWriteItem. No function is ever granted Scan. */
  table?: 'read' | 'readWrite';
  /** Resolves a resident by ID number, so it needs the keyed-hash secret (ID_HASH_KEY). */
  idHashKey?: true;
  /** Sends SMS to residents and publishes staff tasks to the staff-task topic (the Notifier port). The
   *  reliable notifier stores a failed message for a retry, so this implies table `readWrite`. */
  notify?: true;
  /** states:StartExecution on this state machine, whose ARN it receives in <NAME>_STATE_MACHINE_ARN. */
  startWorkflow?: StateMachineName;
  /** states:SendTaskSuccess and states:SendTaskFailure on this state machine only. */
  resumeWorkflow?: StateMachineName;
  /** states:StopExecution on this state machine's executions (a withdrawn case); the machine's ARN comes in
   *  <NAME>_STATE_MACHINE_ARN, from which the execution's ARN is built. */
  stopWorkflow?: StateMachineName;
  /** Charges through the simulated PaymentProvider port where PAYMENT_PROVIDER offers it (v1's flow). */
  payments?: true;
  /** Talks to these wallet providers: reads their merchant secrets at cold start (secretsmanager:GetSecretValue
   *  on exactly those secrets of the stage, <PROVIDER>_SECRET_ARN) and PAYMENT_PROVIDER. */
  walletSecrets?: readonly WalletProviderName[];
  /** Signs requests on the files bucket (FILES_BUCKET) under uploads/: `put` presigns upload slots
   *  (PutObject with its tag), `get` reads and presigns downloads (GetObject, and ListBucket so that a
   *  missing file is 404, not 403), `keep` re-tags (PutObjectTagging), `delete` deletes (DeleteObject). */
  files?: readonly FileRight[];
  /** Runs the real-name check through the IdentityVerifier port: its endpoint and AccessKey secret. */
  identityVerifier?: true;
  /** Takes the SMS provider's delivery reports: with the Aliyun notifier it reads the Aliyun SMS secret
   *  (QuerySendDetails and the receipt token) and records them on the messages, so it implies `readWrite`. */
  smsReceipts?: true;
  /** Reads residents' records through the RecordsProvider port: the data exchange's endpoint and credentials. */
  records?: true;
  /** Sends residents back to a page of the web app (a wallet's return URL after paying in the phone's browser):
   *  the web app's origin, WEB_URL. */
  webUrl?: true;
};

export type WalletProviderName = 'alipay' | 'wechatpay';
const BOTH_WALLETS: readonly WalletProviderName[] = ['alipay', 'wechatpay'];

export const FUNCTION_NEEDS: Record<string, FunctionNeeds> = {
  // Routes
  'functions/platform/get-health.ts': {},
  'functions/platform/get-catalog.ts': {},
  'functions/platform/get-openapi.ts': {},
  'functions/residents/get-me.ts': { table: 'read' },
  'functions/residents/put-me.ts': { table: 'readWrite', idHashKey: true, identityVerifier: true },
  'functions/residents/find-resident.ts': { table: 'read', idHashKey: true },
  'functions/residents/register-walk-in.ts': { table: 'readWrite', idHashKey: true },
  'functions/residents/claim-profile.ts': { table: 'readWrite', idHashKey: true },
  'functions/cases/submit-case.ts': { table: 'readWrite', startWorkflow: 'CaseApproval' },
  'functions/cases/declare-for-resident.ts': { table: 'readWrite', startWorkflow: 'CaseApproval' },
  'functions/cases/list-cases.ts': { table: 'read' },
  'functions/cases/get-case.ts': { table: 'read' },
  'functions/cases/add-materials.ts': { table: 'readWrite', startWorkflow: 'CaseApproval' },
  'functions/cases/rate-case.ts': { table: 'readWrite', notify: true },
  'functions/cases/withdraw-case.ts': { table: 'readWrite', stopWorkflow: 'CaseApproval', files: ['delete'] },
  'functions/cases/collect-case.ts': { table: 'readWrite' },
  'functions/tasks/list-tasks.ts': { table: 'read' },
  'functions/tasks/decide-task.ts': { table: 'readWrite', resumeWorkflow: 'CaseApproval' },
  'functions/bills/list-bills.ts': { table: 'read' },
  'functions/bills/pay-bill.ts': { table: 'readWrite', notify: true, payments: true, walletSecrets: BOTH_WALLETS, webUrl: true },
  'functions/bills/import-bills.ts': { table: 'readWrite' },
  'functions/payments/get-payment.ts': { table: 'read' },
  'functions/payments/refund-payment.ts': { table: 'readWrite', walletSecrets: BOTH_WALLETS },
  'functions/payments/list-payment-alarms.ts': { table: 'read' },
  'functions/payments/notify-wechatpay.ts': { table: 'readWrite', notify: true, walletSecrets: ['wechatpay'] },
  'functions/payments/notify-alipay.ts': { table: 'readWrite', notify: true, walletSecrets: ['alipay'] },
  'functions/appointments/list-slots.ts': { table: 'read' },
  'functions/appointments/book-appointment.ts': { table: 'readWrite', notify: true },
  'functions/appointments/list-appointments.ts': { table: 'read' },
  'functions/appointments/cancel-appointment.ts': { table: 'readWrite' },
  'functions/appointments/reschedule-appointment.ts': { table: 'readWrite', notify: true },
  'functions/appointments/check-in-appointment.ts': { table: 'readWrite' },
  'functions/notices/publish-notice.ts': { table: 'readWrite', notify: true },
  'functions/notices/list-notices.ts': { table: 'read' },
  'functions/notices/end-notice.ts': { table: 'readWrite' },
  'functions/facilities/list-facilities.ts': { table: 'read' },
  'functions/stats/get-stats.ts': { table: 'read' },
  'functions/uploads/create-upload.ts': { table: 'readWrite', files: ['put'] },
  'functions/cases/view-material.ts': { table: 'readWrite', files: ['get'] },
  'functions/tickets/issue-ticket.ts': { table: 'readWrite' },
  'functions/tickets/call-next.ts': { table: 'readWrite', notify: true },
  'functions/tickets/recall-ticket.ts': { table: 'readWrite' },
  'functions/tickets/skip-ticket.ts': { table: 'readWrite' },
  'functions/tickets/finish-ticket.ts': { table: 'readWrite' },
  'functions/tickets/get-display.ts': { table: 'read' },
  'functions/messages/list-my-messages.ts': { table: 'read' },
  'functions/messages/get-my-preferences.ts': { table: 'read' },
  'functions/messages/put-my-preferences.ts': { table: 'readWrite' },
  'functions/messages/list-case-messages.ts': { table: 'read' },
  'functions/messages/receive-sms-receipts.ts': { table: 'readWrite', smsReceipts: true },
  'functions/records/get-my-record.ts': { table: 'readWrite', records: true },
  'functions/records/get-resident-record.ts': { table: 'readWrite', idHashKey: true, records: true },
  'functions/jobs/publish-job.ts': { table: 'readWrite', notify: true },
  'functions/jobs/list-jobs.ts': { table: 'read' },
  'functions/jobs/apply-to-job.ts': { table: 'readWrite' },
  'functions/jobs/list-job-applications.ts': { table: 'read' },
  'functions/jobs/list-my-applications.ts': { table: 'read' },
  'functions/jobs/set-application-status.ts': { table: 'readWrite', notify: true },
  'functions/jobs/view-application-cv.ts': { table: 'read', files: ['get'] },
  // Workflow tasks
  'functions/workflow/auto-review.ts': { table: 'readWrite', notify: true, files: ['get', 'keep'] },
  'functions/workflow/open-approval-step.ts': { table: 'readWrite', notify: true, resumeWorkflow: 'CaseApproval' },
  'functions/workflow/escalate-approval-step.ts': { table: 'readWrite', notify: true },
  'functions/workflow/apply-decision.ts': { table: 'readWrite', notify: true },
  'functions/workflow/finalize-case.ts': { table: 'readWrite', notify: true },
  'functions/workflow/mark-case-failed.ts': { table: 'readWrite', notify: true },
  // Scheduled jobs
  'functions/workflow/reconcile-workflows.ts': { table: 'readWrite', startWorkflow: 'CaseApproval', resumeWorkflow: 'CaseApproval', stopWorkflow: 'CaseApproval' },
  'functions/messages/send-queued-messages.ts': { table: 'readWrite', notify: true },
  'functions/messages/check-sms-reports.ts': { table: 'readWrite', smsReceipts: true },
  'functions/bills/remind-due-bills.ts': { table: 'readWrite', notify: true },
  'functions/appointments/remind-appointments.ts': { table: 'readWrite', notify: true },
  'functions/messages/fan-out-messages.ts': { table: 'readWrite', notify: true },
  'functions/payments/reconcile-payments.ts': { table: 'readWrite', notify: true, walletSecrets: BOTH_WALLETS },
  'functions/uploads/sweep-uploads.ts': { table: 'readWrite', files: ['delete'] },
  'functions/uploads/purge-files.ts': { table: 'readWrite', files: ['delete'] },
  'functions/jobs/close-jobs.ts': { table: 'readWrite' },
  // Cognito trigger (infra/stacks/auth-stack.ts)
  'functions/auth/resident-by-default.ts': {},
};

export function needsOf(entry: string): FunctionNeeds {
  const needs = FUNCTION_NEEDS[entry];
  if (!needs) {
    throw new Error(`${entry} has no row in infra/function-needs.ts: add what it touches (table, notify, workflows …) there`);
  }
  return needs;
}

/** CaseApproval → CASE_APPROVAL_STATE_MACHINE_ARN, the variable shared/ports/workflows-from-env.ts reads. */
export const stateMachineArnVariable = (name: string) => `${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_STATE_MACHINE_ARN`;
