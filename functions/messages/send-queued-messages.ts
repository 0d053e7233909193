// Scheduled job: sends every queued message that is due: SMS held through the quiet hours (due at 08:00),
// retries after a failure that may pass, and attempts whose sender died before recording an outcome. Each
// is leased first, so overlapping runs never send one twice; one that keeps failing is given up on as failed.
// A run stops well within its minute, so runs do not overlap and the provider's pace holds.

import type { Context } from 'aws-lambda';
import { notifier } from '../../shared/ports/notifier-from-env.ts';
import { runBudget } from '../../shared/schedules.ts';

/** EventBridge passes no time; a test (or a local timer) may say when the run happens. */
export const handler = async (event: { time?: string } = {}, context?: Pick<Context, 'getRemainingTimeInMillis'>) =>
  notifier.sendQueued({ ...(event.time ? { now: new Date(event.time) } : {}), hasTimeLeft: runBudget(context) });
