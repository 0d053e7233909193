// The rule that a resident sees only their own cases.

import { getCase } from '../../../shared/data/cases.ts';
import type { Case } from '../../../shared/domain/cases.ts';
import { notFound } from '../../../shared/domain/errors.ts';

/** Someone else's case is 404, never 403: that would confirm it exists. */
export async function ownCase(id: string, residentId: string): Promise<Case> {
  const c = await getCase(id);
  if (!c || c.residentId !== residentId) throw notFound(`No case ${id}.`);
  return c;
}
