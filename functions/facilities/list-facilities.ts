// GET /facilities?community=&kind=shelter|civil-defense — public: where to go in an emergency, with
// coordinates for a map and the capacity. Without `kind`, both kinds.

import { listFacilities } from '../../shared/data/facilities.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listFacilities, async ({ query }) => {
  return ok(await listFacilities(query.community, query.kind, query.limit, query.cursor));
});
