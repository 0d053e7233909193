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

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    name: 'reconcile-workflows',
    entry: 'functions/workflow/reconcile-workflows.ts',
    schedule: 'rate(5 minutes)',
    localEverySeconds: 15,
  },
  {
    name: 'retry-notifications',
    entry: 'functions/notifications/retry-notifications.ts',
    schedule: 'rate(1 minute)',
    localEverySeconds: 20,
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
    // Carries on notice SMS fan-outs that POST /notices did not finish (communities beyond one page).
    name: 'fan-out-notices',
    entry: 'functions/notices/fan-out-notices.ts',
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
    // Nightly at 03:00 Shanghai time: files of cases decided FILE_RETENTION_DAYS ago, and replaced files.
    name: 'purge-case-files',
    entry: 'functions/uploads/purge-case-files.ts',
    schedule: 'cron(0 3 * * ? *)',
    localEverySeconds: 60,
  },
];
