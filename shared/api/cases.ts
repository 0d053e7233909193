// Cases: a resident declares a matter with its materials, follows it, adds what was missing, rates it.

import * as z from 'zod/mini';
import { historyActorName, type Case } from '../domain/cases.ts';
import type { Matter } from '../domain/catalog.ts';
import { MATTER_CODES } from '../domain/catalog.ts';
import { validationFailed } from '../domain/errors.ts';
import { endpoint } from './endpoint.ts';
import { codeSchema, pageQuerySchema, text } from './fields.ts';

/** C20261128-0007: the Shanghai submission day and the day's sequence (4 digits, up to 6 on a very busy day). */
export const CASE_ID = /^C\d{8}-\d{4,6}$/;
export const caseIdParams = z.object({ id: z.string().check(z.regex(CASE_ID, 'a case id such as C20261128-0007')) });

/** Each a material code of the matter and a reference to the uploaded file. */
export const materialsSchema = z.array(z.strictObject({ type: codeSchema, ref: text(500) })).check(z.maxLength(20));

/** Every material type must be one the matter asks for: 400 at `materials.<i>.type` otherwise. */
export function checkMaterialTypes(matter: Matter, materials: { type: string }[]): void {
  const known = new Set(matter.materials.map((m) => m.code));
  const errors = materials.flatMap((m, i) =>
    known.has(m.type) ? [] : [{ path: `materials.${i}.type`, message: `not a material of ${matter.code}: one of ${[...known].join(', ')}` }],
  );
  if (errors.length > 0) throw validationFailed(errors);
}

export const submitCase = endpoint({
  route: 'POST /cases',
  summary: 'Declare a matter with its materials; the automatic review follows at once',
  body: z.strictObject({ matter: z.enum(MATTER_CODES), materials: materialsSchema, note: z.optional(text(500, { multiline: true })) }),
});

export const listCases = endpoint({ route: 'GET /cases', summary: "The caller's cases, newest first", query: pageQuerySchema });

export const getCase = endpoint({ route: 'GET /cases/{id}', summary: 'One of the caller’s cases with its history', params: caseIdParams });

export const addMaterials = endpoint({
  route: 'POST /cases/{id}/materials',
  summary: 'Add what a returned case was missing; it is reviewed again',
  params: caseIdParams,
  body: z.strictObject({ materials: materialsSchema.check(z.minLength(1)), note: z.optional(text(500, { multiline: true })) }),
});

export const rateCase = endpoint({
  route: 'POST /cases/{id}/rating',
  summary: 'Rate a decided case once (好差评)',
  params: caseIdParams,
  body: z.strictObject({ score: z.number().check(z.int(), z.minimum(1), z.maximum(5)), comment: z.optional(text(500, { multiline: true })) }),
});

/** The resident's view of a case (API.md "Shapes"): internal plan, round and task ids stay inside. */
export const caseView = (c: Case) => ({
  id: c.id,
  matter: c.matter,
  category: c.category,
  status: c.status,
  submittedAt: c.submittedAt,
  dueDate: c.dueDate,
  currentStep: c.currentStep ? { role: c.currentStep.role, dueDate: c.currentStep.dueDate } : null,
  materials: c.materials,
  ...(c.note ? { note: c.note } : {}),
  missingMaterials: c.missingMaterials,
  ...(c.reason ? { reason: c.reason } : {}),
  ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
  ...(c.rating ? { rating: c.rating } : {}),
  history: c.history.map((entry) => ({ at: entry.at, status: entry.status, actor: historyActorName(entry, c.residentId), ...(entry.note ? { note: entry.note } : {}) })),
});
