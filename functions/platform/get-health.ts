// GET /health — liveness for load balancers and uptime checks; touches no dependency.

import * as api from '../../shared/api/platform.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getHealth, async () => ok({ status: 'ok' }));
