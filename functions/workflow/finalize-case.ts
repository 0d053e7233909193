// Workflow task Finalize: the last decision becomes the case's outcome, and the resident is told by SMS. An
// approved matter that needs a visit waits for the resident at the centre's window (collection awaiting),
// and the SMS says where to pick the result up. The case's uploaded files go on the purge list in the same
// write: they are deleted FILE_RETENTION_DAYS after the decision. An approved 失业登记 registers the resident as a
// job seeker of the case's centre in the same write (they are told of its new postings).

import { getCase, transitionCase } from '../../shared/data/cases.ts';
import { registerJobSeeker } from '../../shared/data/jobs.ts';
import { UNEMPLOYMENT_MATTER } from '../../shared/domain/jobs.ts';
import { recordCaseEvent } from '../../shared/data/stats.ts';
import { purgeUploadAt } from '../../shared/data/uploads.ts';
import { isUploaded, ROLE_NAMES } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { filesPurgeAt } from '../../shared/domain/uploads.ts';
import { findCentre } from '../../shared/domain/centres.ts';
import type { DecisionOutput } from '../../shared/ports/workflows.ts';
import { notifyResident } from './lib/notify-resident.ts';
import type { StepPayload, WorkflowEvent } from './lib/steps.ts';

type FinalizeEvent = WorkflowEvent & { outcome: 'approved' | 'rejected'; step: StepPayload; decision: DecisionOutput };

export const handler = async ({ caseId, outcome, step, decision }: FinalizeEvent) => {
  const at = new Date().toISOString();
  const before = (await getCase(caseId))!;
  const matter = findMatter(before.matter)!;
  const collect = outcome === 'approved' && matter.needsVisit;
  const verdict = outcome === 'approved' ? '审批通过' : '审批不通过';
  const uploads = before.materials.filter(isUploaded);
  // An approved 失业登记 registers the resident as a job seeker of the centre: told of its new postings.
  const registers = outcome === 'approved' && matter.code === UNEMPLOYMENT_MATTER ? [registerJobSeeker(before.centre, before.residentId, caseId, at)] : [];
  const c = await transitionCase(
    caseId,
    {
      from: ['in_review'],
      to: outcome,
      expect: { currentTaskId: step.taskId },
      history: { at, actor: decision.decidedBy, actorName: decision.decidedByName ?? ROLE_NAMES[step.role], note: `${ROLE_NAMES[step.role]}${verdict}${decision.comment ? `：${decision.comment}` : ''}` },
      set: {
        currentStep: null,
        decidedAt: at,
        ...(outcome === 'rejected' ? { reason: decision.comment ?? 'rejected' } : {}),
        ...(collect ? { collection: { status: 'awaiting' as const } } : {}),
      },
    },
    [...uploads.map((m) => purgeUploadAt(m.uploadId, filesPurgeAt(at))), ...registers],
  );
  if (!c) return {};
  await recordCaseEvent(c);
  if (collect) await notifyResident(c.residentId, 'case-approved-collect', { matter: matter.name.zh, caseId, centre: findCentre(c.centre)!.name.zh }, caseId);
  else if (outcome === 'approved') await notifyResident(c.residentId, 'case-approved', { matter: matter.name.zh, caseId }, caseId);
  else await notifyResident(c.residentId, 'case-rejected', { matter: matter.name.zh, caseId, reason: decision.comment ?? '不符合办理条件' }, caseId);
  return {};
};
