// Workflow task ApplyDecision: what a staff decision means for the case. Approve hands the case to the next
// role of the chain (or on to Finalize after the last); reject goes to Finalize; return sends it back to the
// resident with what is missing. Re-runs are harmless: each write is guarded by the step it belongs to.

import { getCase, transitionCase } from '../../shared/data/cases.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { nextAfterDecision, ROLE_NAMES } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import type { DecisionOutput } from '../../shared/ports/workflows.ts';
import { notifyResident } from './lib/notify-resident.ts';
import { nextFromCase, openStep, RETURNED, stepPayload, type Next, type StepPayload, type WorkflowEvent } from './lib/steps.ts';

const DECISION_TEXT = { approve: '同意', reject: '不同意', return: '退回补正' } as const;

export const handler = async ({ caseId, step, decision }: WorkflowEvent & { step: StepPayload; decision: DecisionOutput }): Promise<Next> => {
  const c = await getCase(caseId);
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  const matter = findMatter(c.matter)!;
  const now = new Date();
  const next = nextAfterDecision(decision.decision, step.index, matter.approvalChain.length);
  const note = `${ROLE_NAMES[step.role]}${DECISION_TEXT[decision.decision]}${decision.comment ? `：${decision.comment}` : ''}`;
  const history = { at: now.toISOString(), actor: decision.decidedBy, actorName: decision.decidedByName ?? ROLE_NAMES[step.role], note };

  if (next.action === 'finalize') return { action: 'finalize', step, outcome: next.outcome };

  if (next.action === 'open-step') {
    const following = stepPayload(c, c.plan![next.stepIndex]!, now);
    const moved = await transitionCase(caseId, {
      from: ['in_review'],
      to: 'in_review',
      expect: { currentTaskId: step.taskId },
      history,
      set: { currentStep: { index: following.index, role: following.role, dueDate: following.dueDate, taskId: following.taskId } },
    });
    return moved ? openStep(following) : nextFromCase((await getCase(caseId))!, now);
  }

  const returned = await transitionCase(caseId, {
    from: ['in_review'],
    to: 'returned',
    expect: { currentTaskId: step.taskId },
    history,
    set: { missingMaterials: decision.missingMaterials, reason: decision.comment ?? 'returned_by_staff', currentStep: null },
  });
  if (returned) {
    await recordCaseEvent(returned);
    const missing = decision.missingMaterials.map((code) => matter.materials.find((m) => m.code === code)?.name.zh ?? code).join('、');
    await notifyResident(c.residentId, 'case-returned', { matter: matter.name.zh, caseId, missing: missing || decision.comment || '详见办件说明' }, caseId);
  }
  return RETURNED;
};
