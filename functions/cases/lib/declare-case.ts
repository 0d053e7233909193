// Declaring a case, whoever declares it: the resident (POST /cases) or a clerk at the counter for them
// (POST /residents/{userId}/cases, 帮办代办). Both check the materials the same way (their types here, their
// uploads in materials.ts), write the same case — the resident's, handled by the centre of their community on
// this day — with its uploads attached in the same transaction, count it, and start its review, so the
// resident gets the same SMS.

import { createCase, nextCaseSequence } from '../../../shared/data/cases.ts';
import { recordCaseEvent } from '../../../shared/data/stats.ts';
import { checkMaterialTypes, type Declaration } from '../../../shared/api/cases.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { caseId, type Case, type Material } from '../../../shared/domain/cases.ts';
import { findMatter, type Matter } from '../../../shared/domain/catalog.ts';
import { forbidden } from '../../../shared/domain/errors.ts';
import { caseIdentityRefusal, centreOfResident, type ResidentProfile } from '../../../shared/domain/residents.ts';
import { attachableMaterials, withAttachments } from './materials.ts';
import { startReview } from './start-review.ts';

/** A case's materials after more were added: one of the same type replaces the earlier one. */
export function withMaterials(materials: Material[], added: Material[]): Material[] {
  const types = new Set(added.map((m) => m.type));
  return [...materials.filter((m) => !types.has(m.type)), ...added];
}

/** The declaration's matter; 400 at `materials.<i>.type` for a material it does not ask for, before anything is written. */
export function checkDeclaration(body: Declaration): Matter {
  const matter = findMatter(body.matter)!;
  checkMaterialTypes(matter, body.materials);
  return matter;
}

/** Who declared it, for the first history entry: the resident themselves, or the clerk who did it for them
 *  (`actorName` is what the resident is shown: 本人, or the window). */
export type Declarant = { actor: string; actorName: string; note: string };

export async function declareCase(profile: ResidentProfile, body: Declaration, declarant: Declarant): Promise<Case> {
  const matter = checkDeclaration(body);
  const refusal = caseIdentityRefusal(profile, matter);
  if (refusal) throw forbidden(refusal, 'identity_not_verified');
  const materials = await attachableMaterials(body.materials, profile.userId);
  const now = new Date();
  const today = shanghaiDate(now);
  const c: Case = {
    id: caseId(today, await nextCaseSequence(today)),
    residentId: profile.userId,
    centre: centreOfResident(profile).code,
    matter: matter.code,
    category: matter.category,
    status: 'submitted',
    round: 1,
    submittedAt: now.toISOString(),
    dueDate: null,
    currentStep: null,
    plan: null,
    materials: materials.list,
    ...(body.note ? { note: body.note } : {}),
    missingMaterials: [],
    history: [{ at: now.toISOString(), status: 'submitted', actor: declarant.actor, actorName: declarant.actorName, note: declarant.note }],
  };
  await withAttachments(materials, c, (attach) => createCase(c, attach));
  await recordCaseEvent(c);
  await startReview(c.id, c.round);
  return c;
}
