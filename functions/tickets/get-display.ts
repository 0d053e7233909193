// GET /display?centre= — public: what a centre's hall screens show per window: the tickets being served and
// at which counter (with masked names only), the next three, how many wait and today's average wait. One
// GetItem of the precomputed item (shared/data/display.ts) per poll, and a Cache-Control that lets the
// screen's browser and a CDN in front reuse the answer for 2 s while the hall is open and for minutes while
// it is closed.

import { getHallDisplay } from '../../shared/data/display.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import { displayMaxAgeSeconds, displayView } from '../../shared/domain/display.ts';
import * as api from '../../shared/api/tickets.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getDisplay, async ({ query }) => {
  const centre = findCentre(query.centre)!;
  const now = new Date();
  const body = displayView(centre, await getHallDisplay(centre.code), now);
  return { status: 200, body, headers: { 'cache-control': `public, max-age=${displayMaxAgeSeconds(centre, now)}` } };
});
