// Supervision statistics.

import * as z from 'zod/mini';
import { endpoint } from './endpoint.ts';
import { businessDateSchema } from './fields.ts';

export const getStats = endpoint({
  route: 'GET /stats',
  summary: 'How each window performs over a period (supervisors)',
  query: z.object({ from: businessDateSchema, to: businessDateSchema }),
});
