// GET /catalog — the six service categories, the matters residents can declare, the service centres, and
// the days that can be booked from today (so no client needs its own copy of the public holidays).

import * as api from '../../shared/api/platform.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getCatalog, async () => ok(api.catalogView(new Date())));
