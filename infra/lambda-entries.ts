// Every Lambda entry file of the platform, from the three tables that define them: routes, workflow tasks
// and scheduled jobs. Whatever deploys or measures functions reads this, so none can be forgotten.

import { ROUTES } from '../shared/routes.ts';
import { SCHEDULED_JOBS } from '../shared/schedules.ts';
import { STATE_MACHINES } from '../shared/workflows.ts';

export function lambdaEntries(): string[] {
  const entries = [
    ...ROUTES.map((r) => r.entry),
    ...STATE_MACHINES.flatMap((m) => Object.values(m.tasks)),
    ...SCHEDULED_JOBS.map((j) => j.entry),
  ];
  return [...new Set<string>(entries)].sort();
}

/** A short, stable name for an entry: functions/cases/get-case.ts → cases-get-case. */
export const entryName = (entry: string) => entry.replace(/^functions\//, '').replace(/\.ts$/, '').replaceAll('/', '-');
