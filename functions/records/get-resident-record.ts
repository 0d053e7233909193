// GET /records/{kind}?idNumber= — at the counter, a clerk reads the record of the resident who is there: the
// ID number comes from the card the clerk swipes (as for GET /residents), so a clerk cannot browse residents by
// account. The lookup is audited under the clerk and their centre on the resident's partition. A number no
// account holds is 404: the platform answers for its residents only.

import { findIdNumberHolder } from '../../shared/data/id-numbers.ts';
import { notFound } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/records.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { homeCentre } from '../../shared/http/auth.ts';
import { readRecord } from './lib/read-record.ts';

export const handler = apiHandler(api.getResidentRecord, async ({ params, query, caller }) => {
  const centre = homeCentre(caller);
  const holder = await findIdNumberHolder(query.idNumber.idNumber);
  if (!holder) throw notFound('No resident has registered this ID number.');
  return ok(await readRecord(holder.profile, params.kind, { actor: caller.userId, actorRole: 'staff', centre }));
});
