// GET /facilities?community=&kind=shelter|civil-defense — public: where to go in an emergency, with
// coordinates for a map and the capacity. Without `kind`, both kinds.

import * as z from 'zod/mini';
import { listFacilities } from '../../shared/data/facilities.ts';
import { FACILITY_KINDS } from '../../shared/domain/facilities.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { communitySchema, pageQuery } from '../../shared/http/schemas.ts';

const query = z.object({ ...pageQuery, community: communitySchema, kind: z.optional(z.enum(FACILITY_KINDS)) });

export const handler = apiHandler({ route: 'GET /facilities', query }, async ({ query }) => {
  return ok(await listFacilities(query.community, query.kind, query.limit, query.cursor));
});
