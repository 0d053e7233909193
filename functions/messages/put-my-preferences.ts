// PUT /me/preferences — the resident chooses sms or inbox for bill reminders, receipts, appointment reminders
// and community notices. Messages sent from then on follow it; what is already queued keeps its channel.

import * as api from '../../shared/api/messages.ts';
import { savePreferences } from '../../shared/data/messages.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';

export const handler = apiHandler(api.putMyPreferences, async ({ body, caller }) => {
  const now = new Date();
  await savePreferences(caller.userId, body, now);
  return ok(api.preferencesView({ ...body, updatedAt: now.toISOString() }));
});
