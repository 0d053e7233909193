// GET /stats?from=&to= — how each service window performs over a period, for supervisors: per category the
// cases submitted, approved, rejected and returned, the on-time rate, average handling hours and average
// rating; per staff member the approval decisions and average hours to decide. Read from the daily
// counters (shared/data/stats.ts): one Query per day of the period, never a Scan of the cases.

import { countersOfDays } from '../../shared/data/stats.ts';
import { businessRule, validationFailed } from '../../shared/domain/errors.ts';
import { MAX_STATS_DAYS, periodDays, periodLength, statsReport } from '../../shared/domain/stats.ts';
import * as api from '../../shared/api/stats.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getStats, async ({ query: { from, to } }) => {
  if (to < from) throw validationFailed([{ path: 'query.to', message: 'must not be before from' }]);
  if (periodLength(from, to) > MAX_STATS_DAYS) {
    throw businessRule(`A report covers at most ${MAX_STATS_DAYS} days.`, [{ path: 'query.to', message: `at most ${MAX_STATS_DAYS} days after from, both included` }]);
  }
  const report = statsReport(await countersOfDays(periodDays(from, to)));
  return ok({ from, to, ...report });
});
