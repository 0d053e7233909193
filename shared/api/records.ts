// Residents' records in the government systems (社保 · 医保 · 公积金), read through the RecordsProvider port.

import * as z from 'zod/mini';
import { RECORD_KINDS } from '../domain/records.ts';
import { endpoint } from './endpoint.ts';
import { idNumberSchema } from './fields.ts';

const kindParams = z.object({ kind: z.enum(RECORD_KINDS) });

export const getMyRecord = endpoint({
  route: 'GET /me/records/{kind}',
  summary: "The caller's own record in a government system (verified profile only); arrears link the matter that settles them",
  params: kindParams,
});

export const getResidentRecord = endpoint({
  route: 'GET /records/{kind}',
  summary: "At the counter: the record of the resident whose ID card the clerk swiped (audited under the clerk's name)",
  params: kindParams,
  query: z.object({ idNumber: idNumberSchema }),
});
