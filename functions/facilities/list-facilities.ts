// GET /facilities — public: where to go in an emergency, with coordinates for a map and the capacity.
// `?community=&kind=`: a community's facilities by kind. `?near=lat,lng&radius=&kind=`: the facilities
// within the radius (5 km unless given, at most 20 km), nearest first by great-circle distance, each with
// `distanceMeters`; `community` then narrows them to one community. The search reads only the geohash
// cells covering the circle (shared/data/facilities.ts) and orders what it found here.

import { facilitiesAround, listFacilities } from '../../shared/data/facilities.ts';
import { pageByPosition } from '../../shared/data/pagination.ts';
import { validationFailed } from '../../shared/domain/errors.ts';
import { DEFAULT_RADIUS_METERS, nearestFirst } from '../../shared/domain/facilities.ts';
import * as api from '../../shared/api/notices.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.listFacilities, async ({ query }) => {
  const { near, community, kind, radius, limit, cursor } = query;
  if (!near) {
    if (radius !== undefined) throw validationFailed([{ path: 'query.radius', message: 'a radius needs near=lat,lng' }]);
    if (!community) throw validationFailed([{ path: 'query.community', message: 'a community, unless near=lat,lng is given' }]);
    return ok(await listFacilities(community, kind, limit, cursor));
  }
  const within = radius ?? DEFAULT_RADIUS_METERS;
  const nearby = nearestFirst(await facilitiesAround(near, within, kind), near, within).filter((f) => !community || f.community === community);
  const scope = { near: `${near.lat},${near.lng}`, radius: String(within), kind: kind ?? '', community: community ?? '' };
  return ok(pageByPosition(nearby, (f) => `${String(f.distanceMeters).padStart(5, '0')}#${f.id}`, limit, cursor, scope));
});
