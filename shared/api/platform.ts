// Public platform endpoints: health and the service catalog.

import { endpoint } from './endpoint.ts';

export const getHealth = endpoint({ route: 'GET /health', summary: 'Liveness: { status: "ok" }' });
export const getCatalog = endpoint({ route: 'GET /catalog', summary: 'Service categories, matters and service centres' });
