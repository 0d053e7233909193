// Scheduled job: an SMS whose delivery report has not come within minutes is asked about with
// QuerySendDetails, so a lost report never leaves a message `sent` for ever (NOTIFIER=aliyun; with other
// notifiers nothing awaits a report and the job does nothing).

import type { Context } from 'aws-lambda';
import { runBudget } from '../../shared/schedules.ts';
import { checkOverdueReports } from '../../shared/ports/sms-receipts-from-env.ts';

/** EventBridge passes no time; a test (or a local timer) may say when the run happens. */
export const handler = async (event: { time?: string } = {}, context?: Pick<Context, 'getRemainingTimeInMillis'>) =>
  checkOverdueReports({ ...(event.time ? { now: new Date(event.time) } : {}), hasTimeLeft: runBudget(context) });
