// Supervision statistics.

import * as z from 'zod/mini';
import { endpoint } from './endpoint.ts';
import { businessDateSchema, centreSchema } from './fields.ts';

export const getStats = endpoint({
  route: 'GET /stats',
  summary: "How each centre's windows perform over a period (supervisors; a city supervisor compares centres)",
  query: z.object({ from: z.optional(businessDateSchema), to: z.optional(businessDateSchema), centre: z.optional(centreSchema) }),
});
