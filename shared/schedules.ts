// Scheduled jobs: the single source of truth for what runs on a clock. In AWS each becomes an EventBridge
// Scheduler schedule invoking the entry's Lambda; under `npm start` the local server runs it on a timer.
// Every job must be safe to run twice (it is, by its own conditional writes).

export type ScheduledJob = {
  name: string;
  /** Lambda entry file, relative to the repository root; exports `handler(event)`. */
  entry: string;
  /** EventBridge Scheduler expression, Asia/Shanghai time. */
  schedule: string;
  /** How often the local server runs it. */
  localEverySeconds: number;
};

/** A job that sends messages works at most this long per run: runs a minute apart never overlap, so the
 *  provider's pace (SMS_RATE_PER_SECOND) is the pace of the job, not of several runs at once. */
const RUN_BUDGET_MS = 50_000;
/** Time kept back to save what a run did before Lambda stops the invocation. */
const SAFETY_MS = 15_000;

/** Whether a sending job's run may start more work: within its budget, and with Lambda time to spare. */
export function runBudget(context?: { getRemainingTimeInMillis(): number }): () => boolean {
  const started = performance.now();
  return () => performance.now() - started < RUN_BUDGET_MS && (context === undefined || context.getRemainingTimeInMillis() > SAFETY_MS);
}

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    name: 'reconcile-workflows',
    entry: 'functions/workflow/reconcile-workflows.ts',
    schedule: 'rate(5 minutes)',
    localEverySeconds: 15,
  },
  {
    // Retries, and the SMS held through the quiet hours, which come due at 08:00 Shanghai time.
    name: 'send-queued-messages',
    entry: 'functions/messages/send-queued-messages.ts',
    schedule: 'rate(1 minute)',
    localEverySeconds: 10,
  },
  {
    // Asks Aliyun about SMS whose delivery report is overdue (NOTIFIER=aliyun only has any).
    name: 'check-sms-reports',
    entry: 'functions/messages/check-sms-reports.ts',
    schedule: 'rate(10 minutes)',
    localEverySeconds: 30,
  },
  {
    // Daily at 09:00 Shanghai time: a reminder SMS should not arrive at night.
    name: 'remind-due-bills',
    entry: 'functions/bills/remind-due-bills.ts',
    schedule: 'cron(0 9 * * ? *)',
    localEverySeconds: 60,
  },
  {
    // Daily at 10:00 Shanghai time, every day (Monday's appointments are reminded on Sunday).
    name: 'remind-appointments',
    entry: 'functions/appointments/remind-appointments.ts',
    schedule: 'cron(0 10 * * ? *)',
    localEverySeconds: 60,
  },
  {
    // Carries on the fan-outs POST /notices and POST /jobs did not finish (more recipients than one page):
    // notices to their communities, postings to their centres' job seekers.
    name: 'fan-out-messages',
    entry: 'functions/messages/fan-out-messages.ts',
    schedule: 'rate(1 minute)',
    localEverySeconds: 5,
  },
  {
    // Asks the wallet providers about orders still pending after a few minutes (a lost notification) and
    // closes expired ones, so no paid bill stays unpaid and no bill stays locked.
    name: 'reconcile-payments',
    entry: 'functions/payments/reconcile-payments.ts',
    schedule: 'rate(2 minutes)',
    localEverySeconds: 5,
  },
  {
    // Uploads never attached to a case are deleted 24 hours after their slot was handed out.
    name: 'sweep-uploads',
    entry: 'functions/uploads/sweep-uploads.ts',
    schedule: 'rate(1 hour)',
    localEverySeconds: 5,
  },
  {
    // Nightly at 03:00 Shanghai time: files of cases decided FILE_RETENTION_DAYS ago, replaced files, and CVs
    // CV_RETENTION_DAYS after their posting's closing day.
    name: 'purge-files',
    entry: 'functions/uploads/purge-files.ts',
    schedule: 'cron(0 3 * * ? *)',
    localEverySeconds: 60,
  },
  {
    // Just after midnight Shanghai time: postings whose closing day was yesterday leave the open lists.
    name: 'close-jobs',
    entry: 'functions/jobs/close-jobs.ts',
    schedule: 'cron(5 0 * * ? *)',
    localEverySeconds: 60,
  },
];
