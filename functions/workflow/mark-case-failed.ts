// Workflow task MarkCaseFailed (the Catch of every task): a technical failure is kept on the case as
// `failed` with its reason, for staff to see and act on; the resident is told someone will be in touch.

import { getCase, transitionCase } from '../../shared/data/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { log } from '../../shared/log.ts';
import { notifyResident } from './lib/notify-resident.ts';
import type { WorkflowEvent } from './lib/steps.ts';

type FailedEvent = WorkflowEvent & { error: { Error?: string; Cause?: string } };

export const handler = async ({ caseId, error }: FailedEvent) => {
  const reason = `${error.Error ?? 'Error'}: ${String(error.Cause ?? '').slice(0, 300)}`;
  log.error('case workflow failed', { caseId, error: error.Error });
  const c = await getCase(caseId);
  if (!c) return {};
  const failed = await transitionCase(caseId, {
    from: ['submitted', 'in_review'],
    to: 'failed',
    history: { at: new Date().toISOString(), actor: 'system', note: '流程异常，已转人工处理' },
    set: { reason, currentStep: null },
  });
  if (failed) await notifyResident(c.residentId, 'case-failed', { matter: findMatter(c.matter)!.name.zh, caseId }, caseId);
  return {};
};
