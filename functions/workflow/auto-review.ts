// Workflow task AutoReview: the automatic review of a submitted case. Missing materials (all of them at
// once) or a failed rule → `returned`; otherwise `in_review` with its due date and approval plan, and the
// resident hears when to expect the answer. Safe to re-run: a case already reviewed continues from its state.

import { getCase, transitionCase } from '../../shared/data/cases.ts';
import { getResident } from '../../shared/data/residents.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { approvalPlan, autoReview, RETURN_REASON_TEXT } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { notifyResident } from './lib/notify-resident.ts';
import { nextFromCase, openStep, RETURNED, stepPayload, type Next, type WorkflowEvent } from './lib/steps.ts';

export const handler = async ({ caseId, round }: WorkflowEvent): Promise<Next> => {
  const c = await getCase(caseId);
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  const now = new Date();
  if (c.status !== 'submitted' || c.round !== round) return nextFromCase(c, now);

  const matter = findMatter(c.matter)!;
  const today = shanghaiDate(now);
  const profile = await getResident(c.residentId);
  const review = autoReview(matter, c.materials, profile?.idNumber, today);
  const at = now.toISOString();

  if (review.outcome === 'returned') {
    const returned = await transitionCase(caseId, {
      from: ['submitted'],
      to: 'returned',
      expect: { round },
      history: { at, actor: 'system', note: `自动预审退回：${RETURN_REASON_TEXT[review.reason]}` },
      set: { missingMaterials: review.missingMaterials, reason: review.reason, currentStep: null },
    });
    if (!returned) return nextFromCase((await getCase(caseId))!, now);
    await recordCaseEvent(returned);
    const missing = review.missingMaterials.map((code) => matter.materials.find((m) => m.code === code)!.name.zh).join('、');
    await notifyResident(c.residentId, 'case-returned', { matter: matter.name.zh, caseId, missing: missing || RETURN_REASON_TEXT[review.reason]! }, caseId);
    return RETURNED;
  }

  const plan = approvalPlan(matter, today);
  const first = stepPayload(c, plan.steps[0]!, now);
  const accepted = await transitionCase(caseId, {
    from: ['submitted'],
    to: 'in_review',
    expect: { round },
    history: { at, actor: 'system', note: '自动预审通过，进入审批' },
    set: {
      dueDate: plan.dueDate,
      plan: plan.steps,
      missingMaterials: [],
      currentStep: { index: 0, role: first.role, dueDate: first.dueDate, taskId: first.taskId },
    },
  });
  if (!accepted) return nextFromCase((await getCase(caseId))!, now);
  await notifyResident(c.residentId, 'case-accepted', { matter: matter.name.zh, caseId, dueDate: dateForSms(plan.dueDate) }, caseId);
  return openStep(first);
};
