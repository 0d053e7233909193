// Scheduled job (shared/schedules.ts): carries on every fan-out that is not finished and not held by another
// run — notices to their communities, job postings to their centres' job seekers — found on the sparse
// pending index (no Scan). Each job is leased first, so overlapping runs never work on the same one; it runs
// page after page until the run's budget is spent (under a minute: runs never overlap, so the provider's pace
// holds), then hands the job back with its cursor.

import type { Context } from 'aws-lambda';
import { leaseFanOutJob, listDueFanOutJobs, subjectOf } from '../../shared/data/fan-outs.ts';
import { log } from '../../shared/log.ts';
import { runBudget } from '../../shared/schedules.ts';
import { runFanOut } from './lib/fan-out.ts';

const JOBS_PER_RUN = 10;

/** EventBridge passes no time; a test (or a local timer) may say when the messages are sent, for the quiet hours. */
export async function handler(event: { time?: string } = {}, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const hasTimeLeft = runBudget(context);
  const now = event.time ? new Date(event.time) : undefined;
  let sent = 0;
  let finished = 0;
  for (const due of await listDueFanOutJobs(new Date(), JOBS_PER_RUN)) {
    if (!hasTimeLeft()) break;
    const held = await leaseFanOutJob(due, new Date());
    if (!held) continue;
    try {
      const outcome = await runFanOut(held, { hasTimeLeft, ...(now ? { now } : {}) });
      sent += outcome.sent;
      if (outcome.finished) finished++;
    } catch (error) {
      // The job keeps its lease until it runs out; then a later run resumes it from the saved cursor.
      log.error('fan-out run failed', { ...subjectOf(held), errorName: (error as Error).name });
    }
  }
  return { sent, finished };
}
