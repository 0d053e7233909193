// Cases: a resident declares a matter with its materials, follows it, adds what was missing, rates it.

import * as z from 'zod/mini';
import { historyActorName, isUploaded, type Case, type Material } from '../domain/cases.ts';
import type { Matter } from '../domain/catalog.ts';
import { MATTER_CODES } from '../domain/catalog.ts';
import { validationFailed } from '../domain/errors.ts';
import { endpoint } from './endpoint.ts';
import { UPLOAD_ID } from '../domain/uploads.ts';
import { codeSchema, pageQuerySchema, text, userIdSchema } from './fields.ts';

/** C20261128-0007: the Shanghai submission day and the day's sequence (4 digits, up to 6 on a very busy day). */
export const CASE_ID = /^C\d{8}-\d{4,6}$/;
const caseIdSchema = z.string().check(z.regex(CASE_ID, 'a case id such as C20261128-0007'));
export const caseIdParams = z.object({ id: caseIdSchema });

/**
 * Each a material code of the matter and either the `uploadId` of a file uploaded with POST /uploads or,
 * as in v1, a `ref` to a file kept elsewhere (taken as present, never checked).
 */
export const materialsSchema = z
  .array(
    z.strictObject({ type: codeSchema, uploadId: z.optional(z.string().check(z.regex(UPLOAD_ID, 'an uploadId from POST /uploads'))), ref: z.optional(text(500)) }).check(
      z.refine((m) => (m.uploadId === undefined) !== (m.ref === undefined), { message: 'give either uploadId (a file uploaded with POST /uploads) or ref', path: ['uploadId'] }),
    ),
  )
  .check(z.maxLength(20));

/** A validated material of a request as the case keeps it. */
export const asMaterial = (m: z.output<typeof materialsSchema>[number]): Material =>
  m.uploadId !== undefined ? { type: m.type, uploadId: m.uploadId } : { type: m.type, ref: m.ref! };

/** Every material type must be one the matter asks for: 400 at `materials.<i>.type` otherwise. */
export function checkMaterialTypes(matter: Matter, materials: { type: string }[]): void {
  const known = new Set(matter.materials.map((m) => m.code));
  const errors = materials.flatMap((m, i) =>
    known.has(m.type) ? [] : [{ path: `materials.${i}.type`, message: `not a material of ${matter.code}: one of ${[...known].join(', ')}` }],
  );
  if (errors.length > 0) throw validationFailed(errors);
}

/** What declaring a matter takes, whoever declares it: the resident, or a clerk for them. */
export const declarationSchema = z.strictObject({ matter: z.enum(MATTER_CODES), materials: materialsSchema, note: z.optional(text(500, { multiline: true })) });
export type Declaration = z.output<typeof declarationSchema>;

export const submitCase = endpoint({
  route: 'POST /cases',
  summary: 'Declare a matter with its materials; the automatic review follows at once',
  body: declarationSchema,
});

export const declareForResident = endpoint({
  route: 'POST /residents/{userId}/cases',
  summary: 'A clerk declares a matter for the resident at the counter (帮办代办); the case is the resident’s',
  params: z.object({ userId: userIdSchema }),
  body: declarationSchema,
});

export const listCases = endpoint({ route: 'GET /cases', summary: "The caller's cases, newest first", query: pageQuerySchema });

export const getCase = endpoint({ route: 'GET /cases/{id}', summary: 'One of the caller’s cases with its history', params: caseIdParams });

export const addMaterials = endpoint({
  route: 'POST /cases/{id}/materials',
  summary: 'Add what a returned case was missing; it is reviewed again',
  params: caseIdParams,
  body: z.strictObject({ materials: materialsSchema.check(z.minLength(1)), note: z.optional(text(500, { multiline: true })) }),
});

export const viewMaterial = endpoint({
  route: 'GET /cases/{id}/materials/{type}',
  summary: "A material's file: 302 to a short-lived download URL, for the case's owner and its centre's staff",
  params: z.object({ id: caseIdSchema, type: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'a material code such as id-card')) }),
});

export const rateCase = endpoint({
  route: 'POST /cases/{id}/rating',
  summary: 'Rate a decided case once (好差评)',
  params: caseIdParams,
  body: z.strictObject({ score: z.number().check(z.int(), z.minimum(1), z.maximum(5)), comment: z.optional(text(500, { multiline: true })) }),
});

export const withdrawCase = endpoint({
  route: 'POST /cases/{id}/withdraw',
  summary: 'Withdraw an undecided case of the caller: its review run ends and its open step leaves every queue',
  params: caseIdParams,
});

export const collectCase = endpoint({
  route: 'POST /cases/{id}/collect',
  summary: 'The resident picked up the result of an approved matter at the window (staff of the case’s centre)',
  params: caseIdParams,
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
  materials: materialsView(c.materials),
  ...(c.note ? { note: c.note } : {}),
  missingMaterials: c.missingMaterials,
  materialProblems: c.materialProblems ?? [],
  ...(c.reason ? { reason: c.reason } : {}),
  ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
  ...(c.withdrawnAt ? { withdrawnAt: c.withdrawnAt } : {}),
  ...(c.collection ? { collection: { status: c.collection.status, ...(c.collection.at ? { at: c.collection.at } : {}) } } : {}),
  ...(c.rating ? { rating: c.rating } : {}),
  history: c.history.map((entry) => ({
    at: entry.at,
    status: entry.status,
    actor: historyActorName(entry, c.residentId),
    ...(entry.note ? { note: entry.note } : {}),
    ...(entry.material ? { material: entry.material } : {}),
  })),
});

/** Materials as answers show them: `verified` is true only for an uploaded file the last review accepted. */
export const materialsView = (materials: Material[]) =>
  materials.map((m) => (isUploaded(m) ? { type: m.type, uploadId: m.uploadId, verified: m.verified ?? false } : { type: m.type, ref: m.ref, verified: false }));
