// GET /health — liveness for load balancers and uptime checks; touches no dependency.

import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler({ route: 'GET /health' }, async () => ok({ status: 'ok' }));
