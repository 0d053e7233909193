// Workflow task AutoReview: the automatic review of a submitted case. Missing materials (all of them at
// once), uploaded files that did not arrive, are not the declared type or too large (all problems at once),
// or a failed rule → `returned`; otherwise `in_review` with its due date and approval plan, and the
// resident hears when to expect the answer. Of each uploaded file it reads the first 8 bytes (a ranged GET),
// and it keeps the files that arrived (tagged attached: the unattached-upload expiry no longer applies).
// Safe to re-run: a case already reviewed continues from its state.

import { getCase, transitionCase } from '../../shared/data/cases.ts';
import { getResident } from '../../shared/data/residents.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { getUploads } from '../../shared/data/uploads.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { approvalPlan, autoReview, isUploaded, RETURN_REASON_TEXT, withVerdicts, type Case, type FileFindings } from '../../shared/domain/cases.ts';
import { findMatter, type Matter } from '../../shared/domain/catalog.ts';
import { dateForSms } from '../../shared/domain/messages.ts';
import { HEAD_BYTES, PROBLEM_TEXT, storageKey, type MaterialProblem } from '../../shared/domain/uploads.ts';
import { keepFile } from '../../shared/ports/file-keeping.ts';
import { readHead } from '../../shared/ports/file-reads.ts';
import { notifyResident } from './lib/notify-resident.ts';
import { nextFromCase, openStep, RETURNED, stepPayload, type Next, type WorkflowEvent } from './lib/steps.ts';

/** The record and the first bytes of each of the case's uploads; a file that arrived is kept for the case. */
async function inspectUploads(c: Case): Promise<FileFindings> {
  const ids = c.materials.filter(isUploaded).map((m) => m.uploadId);
  const uploads = await getUploads(ids);
  const found = await Promise.all(
    ids.map(async (id) => {
      const upload = uploads.get(id);
      const stored = upload?.caseId === c.id ? await readHead(storageKey(id), HEAD_BYTES) : undefined;
      if (stored) await keepFile(storageKey(id));
      return [id, { upload, stored }] as const;
    }),
  );
  return { residentId: c.residentId, byUpload: new Map(found) };
}

/** 材料不全（身份证：文件类型不符） — for staff reading the history. */
function returnNote(reason: string, problems: MaterialProblem[], matter: Matter): string {
  const details = problems.map((p) => `${matter.materials.find((m) => m.code === p.type)?.name.zh ?? p.type}：${PROBLEM_TEXT[p.problem]}`);
  return `自动预审退回：${RETURN_REASON_TEXT[reason]}${details.length > 0 ? `（${details.join('；')}）` : ''}`;
}

export const handler = async ({ caseId, round }: WorkflowEvent): Promise<Next> => {
  const c = await getCase(caseId);
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  const now = new Date();
  if (c.status !== 'submitted' || c.round !== round) return nextFromCase(c, now);

  const matter = findMatter(c.matter)!;
  const today = shanghaiDate(now);
  const profile = await getResident(c.residentId);
  const review = autoReview(matter, c.materials, profile?.idNumber, today, await inspectUploads(c));
  const at = now.toISOString();

  if (review.outcome === 'returned') {
    const returned = await transitionCase(caseId, {
      from: ['submitted'],
      to: 'returned',
      expect: { round },
      history: { at, actor: 'system', note: returnNote(review.reason, review.materialProblems, matter) },
      set: {
        materials: withVerdicts(c.materials, review.materialProblems),
        missingMaterials: review.missingMaterials,
        materialProblems: review.materialProblems,
        reason: review.reason,
        currentStep: null,
      },
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
      materials: withVerdicts(c.materials, []),
      missingMaterials: [],
      materialProblems: [],
      currentStep: { index: 0, role: first.role, dueDate: first.dueDate, taskId: first.taskId },
    },
  });
  if (!accepted) return nextFromCase((await getCase(caseId))!, now);
  await notifyResident(c.residentId, 'case-accepted', { matter: matter.name.zh, caseId, dueDate: dateForSms(plan.dueDate) }, caseId);
  return openStep(first);
};
