// Workflow task Finalize: the last decision becomes the case's outcome, and the resident is told by SMS.

import { transitionCase } from '../../shared/data/cases.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { ROLE_NAMES } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import type { DecisionOutput } from '../../shared/ports/workflows.ts';
import { notifyResident } from './lib/notify-resident.ts';
import type { StepPayload, WorkflowEvent } from './lib/steps.ts';

type FinalizeEvent = WorkflowEvent & { outcome: 'approved' | 'rejected'; step: StepPayload; decision: DecisionOutput };

export const handler = async ({ caseId, outcome, step, decision }: FinalizeEvent) => {
  const at = new Date().toISOString();
  const verdict = outcome === 'approved' ? '审批通过' : '审批不通过';
  const c = await transitionCase(caseId, {
    from: ['in_review'],
    to: outcome,
    expect: { currentTaskId: step.taskId },
    history: { at, actor: decision.decidedBy, actorName: decision.decidedByName ?? ROLE_NAMES[step.role], note: `${ROLE_NAMES[step.role]}${verdict}${decision.comment ? `：${decision.comment}` : ''}` },
    set: { currentStep: null, decidedAt: at, ...(outcome === 'rejected' ? { reason: decision.comment ?? 'rejected' } : {}) },
  });
  if (!c) return {};
  await recordCaseEvent(c);
  const matter = findMatter(c.matter)!;
  if (outcome === 'approved') await notifyResident(c.residentId, 'case-approved', { matter: matter.name.zh, caseId }, caseId);
  else await notifyResident(c.residentId, 'case-rejected', { matter: matter.name.zh, caseId, reason: decision.comment ?? '不符合办理条件' }, caseId);
  return {};
};
