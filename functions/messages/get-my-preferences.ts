// GET /me/preferences — the channel the resident chose per kind of message (SMS until they choose).

import * as api from '../../shared/api/messages.ts';
import { getPreferences } from '../../shared/data/messages.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.getMyPreferences, async ({ caller }) => ok(api.preferencesView(await getPreferences(caller.userId))));
