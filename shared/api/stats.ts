// Supervision statistics.

import * as z from 'zod/mini';
import type { statsReport } from '../domain/stats.ts';
import { endpoint } from './endpoint.ts';
import { businessDateSchema, centreSchema } from './fields.ts';

export const getStats = endpoint({
  route: 'GET /stats',
  summary: "How each centre's windows perform over a period (supervisors; a city supervisor compares centres)",
  query: z.object({ from: z.optional(businessDateSchema), to: z.optional(businessDateSchema), centre: z.optional(centreSchema) }),
});

type CentreReport = ReturnType<typeof statsReport> & { centre: string };

/** The answer of GET /stats: one row per centre and category, per centre, and per centre and staff member. */
export const statsView = (period: { from: string; to: string; centre: string | null }, reports: CentreReport[]) => ({
  ...period,
  categories: reports.flatMap((r) => r.categories.map((row) => ({ centre: r.centre, ...row }))),
  centres: reports.map((r) => ({ centre: r.centre, ...r.counter, ...r.jobs })),
  staff: reports.flatMap((r) => r.staff.map((row) => ({ centre: r.centre, ...row }))),
});
