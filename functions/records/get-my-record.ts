// GET /me/records/{kind} — the caller's own record in the 人社, 医保 or 公积金 system, read for this request only
// (a 60-second in-memory cache aside) and audited. Only a verified profile: the record is looked up by the
// profile's ID number, so an unverified claim of somebody's number must not read that person's record
// (403 identity_not_verified). Nobody reads another resident's record here: there is no id in the path.

import { getResident } from '../../shared/data/residents.ts';
import { forbidden } from '../../shared/domain/errors.ts';
import { isVerified } from '../../shared/domain/residents.ts';
import * as api from '../../shared/api/records.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { readRecord } from './lib/read-record.ts';

export const handler = apiHandler(api.getMyRecord, async ({ params, caller }) => {
  const profile = await getResident(caller.userId);
  if (!profile || profile.idNumberLost || !isVerified(profile)) {
    throw forbidden(
      'Records are shown to a verified identity only: complete your profile (PUT /me) so that the real-name check confirms it, or bring your ID card to a service centre.',
      'identity_not_verified',
    );
  }
  return ok(await readRecord(profile, params.kind, { actor: caller.userId, actorRole: 'resident' }));
});
