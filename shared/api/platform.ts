// Public platform endpoints: health, the service catalog and the API's own OpenAPI document.

import { endpoint } from './endpoint.ts';

export const getHealth = endpoint({ route: 'GET /health', summary: 'Liveness: { status: "ok" }' });
export const getCatalog = endpoint({ route: 'GET /catalog', summary: 'Service categories, matters and service centres' });
export const getOpenApi = endpoint({ route: 'GET /openapi.json', summary: 'This API as an OpenAPI 3.1 document' });
