// Scheduled job (shared/schedules.ts): carries on every notice fan-out that is not finished and not held
// by another run, found on the sparse pending index (no Scan). Each job is leased first, so overlapping
// runs never work on the same one; it runs page after page until the invocation's time is nearly up,
// then hands the job back with its cursor for the next run.

import type { Context } from 'aws-lambda';
import { leaseFanOutJob, listDueFanOutJobs } from '../../shared/data/notices.ts';
import { log } from '../../shared/log.ts';
import { runFanOut } from './lib/fan-out.ts';

const JOBS_PER_RUN = 10;
/** Time kept back to save the cursor and hand the job back before Lambda stops the invocation. */
const SAFETY_MS = 15_000;

export async function handler(_event: unknown = {}, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const hasTimeLeft = () => context === undefined || context.getRemainingTimeInMillis() > SAFETY_MS;
  let sent = 0;
  let finished = 0;
  for (const due of await listDueFanOutJobs(new Date(), JOBS_PER_RUN)) {
    if (!hasTimeLeft()) break;
    const held = await leaseFanOutJob(due, new Date());
    if (!held) continue;
    try {
      const outcome = await runFanOut(held, { hasTimeLeft });
      sent += outcome.sent;
      if (outcome.finished) finished++;
    } catch (error) {
      // The job keeps its lease until it runs out; then a later run resumes it from the saved cursor.
      log.error('notice fan-out run failed', { noticeId: held.noticeId, errorName: (error as Error).name });
    }
  }
  return { sent, finished };
}
