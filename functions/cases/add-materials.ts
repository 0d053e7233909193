// POST /cases/{id}/materials — the resident adds what a `returned` case was missing; the case goes back to
// `submitted` and a new review round runs. A material of the same type replaces the earlier one; a replaced
// uploaded file is no longer part of the case and goes on the purge list at once (it is deleted within a day).

import { transitionCase } from '../../shared/data/cases.ts';
import { purgeUploadAt } from '../../shared/data/uploads.ts';
import { isUploaded } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { conflict } from '../../shared/domain/errors.ts';
import * as api from '../../shared/api/cases.ts';
import { apiHandler, ok } from '../../shared/http/api-handler.ts';
import { attachableMaterials, withAttachments } from './lib/materials.ts';
import { ownCase } from './lib/own-case.ts';
import { withMaterials } from './lib/declare-case.ts';
import { startReview } from './lib/start-review.ts';

export const handler = apiHandler(api.addMaterials, async ({ params, body, caller }) => {
  const c = await ownCase(params.id, caller.userId);
  api.checkMaterialTypes(findMatter(c.matter)!, body.materials);
  if (c.status !== 'returned') throw conflict('invalid_state', `Materials can be added only to a returned case; this one is ${c.status}.`);
  const materials = await attachableMaterials(body.materials, c.residentId, c.id);
  const added = new Set(body.materials.map((m) => m.type));
  const kept = new Set(materials.attachments.map((a) => a.uploadId));
  const now = new Date().toISOString();
  const replaced = c.materials.filter(isUploaded).filter((m) => added.has(m.type) && !kept.has(m.uploadId));
  const round = c.round + 1;
  const updated = await withAttachments(materials, c, (attach) =>
    transitionCase(
      c.id,
      {
        from: ['returned'],
        to: 'submitted',
        expect: { round: c.round },
        awaitWorkflow: true,
        history: { at: now, actor: caller.userId, note: body.note ?? '补交材料' },
        set: {
          round,
          materials: withMaterials(c.materials, materials.list),
          missingMaterials: [],
          materialProblems: [],
          reason: null,
        },
      },
      [...attach, ...replaced.map((m) => purgeUploadAt(m.uploadId, now))],
    ),
  );
  if (!updated) throw conflict('invalid_state', 'The case changed meanwhile; read it again.');
  await startReview(c.id, round);
  return ok(api.caseView(updated));
});
