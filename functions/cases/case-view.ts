// The resident's view of a case (API.md "Shapes"): internal plan, round and task ids stay inside.

import type { Case } from '../../shared/domain/cases.ts';

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
  history: c.history,
});
