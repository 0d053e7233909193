// The {id} path parameter of case routes, and the rule that a resident sees only their own cases.

import * as z from 'zod/mini';
import { getCase } from '../../shared/data/cases.ts';
import { type Case } from '../../shared/domain/cases.ts';
import { notFound } from '../../shared/domain/errors.ts';

export const caseIdParams = z.object({ id: z.string().check(z.regex(/^C\d{8}-\d{4,}$/, 'a case id such as C20261128-0007')) });

/** Someone else's case is 404, never 403: that would confirm it exists. */
export async function ownCase(id: string, residentId: string): Promise<Case> {
  const c = await getCase(id);
  if (!c || c.residentId !== residentId) throw notFound(`No case ${id}.`);
  return c;
}
