// GET /stats?from=&to=&centre= — how a centre's service windows perform over a period, for supervisors: per
// category the cases submitted, approved, rejected, returned and withdrawn, the on-time rate, average handling
// hours and average rating, and the counter's tickets issued and served with the average wait and service
// minutes; per centre the same counter figures over all its windows and its job applications and hires; per staff member the approval decisions
// and average hours to decide. A centre's supervisor
// sees their own centre; a city supervisor (custom:centre `*`) names one, or compares every centre (one row
// per centre and category). Read from the daily counters of each centre (shared/data/stats.ts): one Query per
// centre and day of the period, never a Scan of the cases. The period defaults to this month so far (Shanghai).

import { countersOfDays } from '../../shared/data/stats.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { CENTRES } from '../../shared/domain/centres.ts';
import { businessRule, validationFailed } from '../../shared/domain/errors.ts';
import { MAX_STATS_DAYS, periodDays, periodLength, statsReport } from '../../shared/domain/stats.ts';
import * as api from '../../shared/api/stats.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { centreInScope } from '../../shared/http/auth.ts';

/** Centres reported at once by a city report. */
const CENTRES_IN_PARALLEL = 4;

export const handler = apiHandler(api.getStats, async ({ query, caller }) => {
  const today = shanghaiDate(new Date());
  const from = query.from ?? `${today.slice(0, 8)}01`;
  const to = query.to ?? today;
  if (to < from) throw validationFailed([{ path: 'query.to', message: `must not be before from (${from})` }]);
  if (periodLength(from, to) > MAX_STATS_DAYS) {
    throw businessRule(`A report covers at most ${MAX_STATS_DAYS} days.`, [{ path: 'query.to', message: `at most ${MAX_STATS_DAYS} days after from, both included` }]);
  }
  const scope = centreInScope(caller, query.centre, 'city-allowed');
  const centres = scope ? [scope] : CENTRES.map((c) => c.code);
  const days = periodDays(from, to);
  const reports: (ReturnType<typeof statsReport> & { centre: string })[] = [];
  for (let i = 0; i < centres.length; i += CENTRES_IN_PARALLEL) {
    const batch = centres.slice(i, i + CENTRES_IN_PARALLEL);
    reports.push(...(await Promise.all(batch.map(async (centre) => ({ centre, ...statsReport(await countersOfDays(centre, days)) })))));
  }
  return ok(api.statsView({ from, to, centre: scope ?? null }, reports));
});
