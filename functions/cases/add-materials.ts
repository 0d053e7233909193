// POST /cases/{id}/materials — the resident adds what a `returned` case was missing; the case goes back to
// `submitted` and a new review round runs. A material of the same type replaces the earlier one.

import { transitionCase } from '../../shared/data/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { conflict } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { ownCase } from './lib/own-case.ts';
import { checkMaterials, withMaterials } from './lib/declare-case.ts';
import { startReview } from './lib/start-review.ts';

export const handler = apiHandler(api.addMaterials, async ({ params, body, caller }) => {
  const c = await ownCase(params.id, caller.userId);
  checkMaterials(findMatter(c.matter)!, body.materials);
  if (c.status !== 'returned') throw conflict('invalid_state', `Materials can be added only to a returned case; this one is ${c.status}.`);
  const round = c.round + 1;
  const updated = await transitionCase(c.id, {
    from: ['returned'],
    to: 'submitted',
    expect: { round: c.round },
    awaitWorkflow: true,
    history: { at: new Date().toISOString(), actor: caller.userId, note: body.note ?? '补交材料' },
    set: {
      round,
      materials: withMaterials(c.materials, body.materials),
      missingMaterials: [],
      reason: null,
    },
  });
  if (!updated) throw conflict('invalid_state', 'The case changed meanwhile; read it again.');
  await startReview(c.id, round);
  return ok(api.caseView(updated));
});
