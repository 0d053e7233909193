// Public platform endpoints: health, the service catalog and the API's own OpenAPI document.

import { publicCatalog } from '../domain/catalog.ts';
import { bookingDays } from '../domain/slots.ts';
import { endpoint } from './endpoint.ts';

export const getHealth = endpoint({ route: 'GET /health', summary: 'Liveness: { status: "ok" }' });
export const getCatalog = endpoint({ route: 'GET /catalog', summary: 'Service categories, matters, service centres and the days that can be booked' });

const CATALOG = publicCatalog();

/** The catalog (the same for every request), and the working days a resident may book today. */
export const catalogView = (now: Date) => ({ ...CATALOG, bookingDays: bookingDays(now) });
export const getOpenApi = endpoint({ route: 'GET /openapi.json', summary: 'This API as an OpenAPI 3.1 document' });
